import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ErrorCodes, type ErrorCode } from '../../../runtime/errors/codes.js';

/** docs/errors.md, found by walking up, so the test works from test/ (tsx) and from dist/test/ (compiled). */
function readErrorsDoc(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'docs', 'errors.md');
    if (existsSync(candidate)) return readFileSync(candidate, 'utf8');
    const parent = dirname(dir);
    if (parent === dir) throw new Error('docs/errors.md not found above the test file');
    dir = parent;
  }
}

interface DocumentedCode {
  readonly status: number;
  readonly retryable: boolean;
  readonly when: string;
  readonly whatToDo: string;
}

/** Rows of the form "| `CODE` | 404 | no | when | what to do |". */
function documentedCodes(markdown: string): Map<string, DocumentedCode> {
  const rows = new Map<string, DocumentedCode>();
  for (const line of markdown.split('\n')) {
    const match = /^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|\s*(\d{3})\s*\|\s*(yes|no)\s*\|(.*)\|(.*)\|\s*$/.exec(line);
    if (match === null) continue;
    const [, code, status, retryable, when, whatToDo] = match;
    rows.set(code!, {
      status: Number(status),
      retryable: retryable === 'yes',
      when: when!.trim(),
      whatToDo: whatToDo!.trim(),
    });
  }
  return rows;
}

describe('docs/errors.md documents the error registry', () => {
  const documented = documentedCodes(readErrorsDoc());
  const codes = Object.keys(ErrorCodes) as ErrorCode[];

  test('every code in ErrorCodes has a row', () => {
    const missing = codes.filter((code) => !documented.has(code));
    assert.deepEqual(missing, [], `add a row to docs/errors.md for: ${missing.join(', ')}`);
  });

  test('each row states the same HTTP status and retryability as the registry, and says when and what to do', () => {
    for (const code of codes) {
      const row = documented.get(code);
      if (row === undefined) continue;
      assert.equal(row.status, ErrorCodes[code].status, `${code}: HTTP status`);
      assert.equal(row.retryable, ErrorCodes[code].retryable, `${code}: retryable`);
      assert.ok(row.when.length > 10, `${code}: "when it happens" is empty`);
      assert.ok(row.whatToDo.length > 5, `${code}: "what to do" is empty`);
    }
  });

  test('no row documents a code that no longer exists', () => {
    const stale = [...documented.keys()].filter((code) => !(code in ErrorCodes));
    assert.deepEqual(stale, [], `remove from docs/errors.md: ${stale.join(', ')}`);
  });
});
