import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.services/**', 'test/services/target/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' },
      ],
    },
  },
  {
    // Plain Node scripts (CLI entry, service and test runners).
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: {
      globals: Object.fromEntries(
        [
          'process',
          'console',
          'URL',
          'Buffer',
          'setTimeout',
          'clearTimeout',
          'setInterval',
          'clearInterval',
        ].map((g) => [g, 'readonly']),
      ),
    },
  },
  // ESLint itself requires this file's default export.
  { files: ['eslint.config.js'], rules: { 'no-restricted-syntax': 'off' } },
  {
    files: ['connectors/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/runtime/!(api)/**', '**/runtime/!(api)', 'kafkajs'],
              message: 'Connectors import runtime/api only.',
            },
          ],
        },
      ],
    },
  },
  {
    // The web console is a browser client of the public REST API: it shares no code with the worker.
    files: ['console/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/runtime/**', '**/api/**', '**/connectors/**', '**/schemas/**', 'node:*'],
              message: 'The console talks to the worker over REST only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['api/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['kafkajs', '**/runtime/worker/**', '**/runtime/storage/**', '**/runtime/kafka/**'],
              message: 'The REST layer talks to the Herder interface only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['runtime/**/*.ts'],
    ignores: ['runtime/kafka/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'kafkajs', message: 'Only runtime/kafka imports the Kafka client.' }] },
      ],
    },
  },
  {
    // The record format patch must load before kafkajs, and every reader needs the codecs: values come
    // from kafkajs-library.ts (runtime/kafka/kafkajs-record-format.ts says why).
    files: ['runtime/kafka/**/*.ts'],
    ignores: ['runtime/kafka/kafkajs-library.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'kafkajs',
              message: 'Import kafkajs values from ./kafkajs-library.js.',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
);
