import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinPlugins } from '../../../cli/builtin-plugins.js';
import { connectorValidator } from '../../../cli/connector-validation.js';
import { didYouMean } from '../../../runtime/config/did-you-mean.js';
import { unknownWorkerKeys } from '../../../runtime/config/unknown-keys.js';
import { DEFAULT_TASKS_MAX_LIMIT } from '../../../runtime/config/worker-config.js';
import { PluginRegistry } from '../../../runtime/worker/plugin-registry.js';

describe('did you mean', () => {
  test('finds the key a typo meant, and nothing for an unrelated word', () => {
    assert.equal(didYouMean('tasks.maxx', ['tasks.max', 'topics']), 'tasks.max');
    assert.equal(didYouMean('foo', ['tasks.max', 'topics']), null);
  });
});

describe('unknown worker keys', () => {
  test('bootstrap.server is reported with bootstrap.servers as the suggestion', () => {
    const unknown = unknownWorkerKeys(
      { 'bootstrap.server': 'kafka:9092', 'offset.storage.file.filename': '/tmp/o', 'producer.acks': 'all' },
      'standalone',
    );
    assert.deepEqual(unknown, [{ key: 'bootstrap.server', suggestion: 'bootstrap.servers' }]);
  });

  test('client pass-through prefixes, security and logging keys are known', () => {
    const unknown = unknownWorkerKeys(
      {
        'consumer.max.poll.records': '10',
        'ssl.truststore.location': '/x',
        'security.protocol': 'SSL',
        'log.level': 'DEBUG',
        'group.id': 'g',
        'config.storage.topic': 'c',
        'offset.storage.topic': 'o',
        'status.storage.topic': 's',
      },
      'distributed',
    );
    assert.deepEqual(unknown, []);
  });
});

describe('unknown connector keys in validate', () => {
  const plugins = new PluginRegistry(builtinPlugins);
  const validate = connectorValidator(plugins, DEFAULT_TASKS_MAX_LIMIT);

  test('tasks.maxx and records.per.secnd get a warning with a suggestion, not an error', async () => {
    const infos = await validate(plugins.requireConnector('DatagenSource'), {
      'connector.class': 'DatagenSource',
      name: 'd',
      'kafka.topic': 't',
      'tasks.maxx': '2',
      'records.per.secnd': '5',
    });
    assert.equal(infos.error_count, 0);
    const warnings = Object.fromEntries(
      infos.configs.filter((c) => c.value.warnings).map((c) => [c.value.name, c.value.warnings]),
    );
    assert.deepEqual(Object.keys(warnings).sort(), ['records.per.secnd', 'tasks.maxx']);
    assert.match(warnings['tasks.maxx']![0]!, /did you mean 'tasks\.max'\?/);
    assert.match(warnings['records.per.secnd']![0]!, /did you mean 'records\.per\.second'\?/);
  });

  test('a clean config has no warnings field at all (Connect shape)', async () => {
    const infos = await validate(plugins.requireConnector('DatagenSource'), {
      'connector.class': 'DatagenSource',
      name: 'd',
      'kafka.topic': 't',
      'producer.override.acks': 'all',
      'transforms.x.type': 'InsertField$Value',
    });
    assert.equal(
      infos.configs.some((c) => 'warnings' in c.value),
      false,
    );
  });

  test('a mistyped connector class gets a did-you-mean', () => {
    assert.throws(() => plugins.requireConnector('DatagenSourc'), /did you mean 'DatagenSource'\?/);
  });
});
