import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConfigDef } from '../../../runtime/api/config-def.js';
import type { ConfigInfos } from '../../../runtime/cluster/rest-types.js';
import { configKeyInfos } from '../../../runtime/config/config-key-info.js';
import { validateConnectorConfig } from '../../../runtime/config/validate-connector-config.js';
import { DEFAULT_TASKS_MAX_LIMIT } from '../../../runtime/config/worker-config.js';

const pluginDef: ConfigDef = {
  'connection.url': {
    type: 'string',
    importance: 'high',
    documentation: 'JDBC URL',
    group: 'Connection',
    orderInGroup: 1,
    width: 'long',
    displayName: 'URL',
  },
  'connection.password': {
    type: 'password',
    default: null,
    importance: 'high',
    documentation: 'Password',
    group: 'Connection',
    orderInGroup: 2,
  },
  'batch.size': {
    type: 'int',
    default: 100,
    importance: 'low',
    documentation: 'Rows per batch',
    validator: { min: 1 },
  },
};

function entry(result: ConfigInfos, name: string) {
  const found = result.configs.find((c) => c.value.name === name);
  assert.ok(found, `no entry for ${name}`);
  return found;
}

function sink(
  config: Record<string, string | null>,
  extra: Partial<Parameters<typeof validateConnectorConfig>[0]> = {},
): ConfigInfos {
  return validateConnectorConfig({
    tasksMaxLimit: DEFAULT_TASKS_MAX_LIMIT,
    pluginName: 'io.sluice.PgSink',
    pluginType: 'sink',
    pluginDef,
    config,
    ...extra,
  });
}

const validSink = {
  name: 'pg',
  'connector.class': 'io.sluice.PgSink',
  topics: 'orders',
  'connection.url': 'jdbc:x',
};

describe('validateConnectorConfig', () => {
  test("tasks.max: Connect's INT range and minimum, and the worker's tasks.max.limit", () => {
    const errorsFor = (tasksMax: string, limit = DEFAULT_TASKS_MAX_LIMIT): string[] =>
      entry(sink({ ...validSink, 'tasks.max': tasksMax }, { tasksMaxLimit: limit }), 'tasks.max').value
        .errors;
    assert.deepEqual(errorsFor('2147483648'), [
      'Invalid value 2147483648 for configuration tasks.max: Not a number of type INT',
    ]);
    assert.deepEqual(errorsFor('99999999999999999999'), [
      'Invalid value 99999999999999999999 for configuration tasks.max: Not a number of type INT',
    ]);
    assert.deepEqual(errorsFor('0'), [
      'Invalid value 0 for configuration tasks.max: Value must be at least 1',
    ]);
    assert.deepEqual(errorsFor('1000000000'), [
      "Invalid value 1000000000 for configuration tasks.max: Value must be no more than 1000 (the worker's tasks.max.limit)",
    ]);
    assert.deepEqual(errorsFor('2147483647', 2147483647), []);
    assert.deepEqual(errorsFor('8', 8), []);
    assert.deepEqual(errorsFor('9', 8).length, 1);
  });

  test('names REST cannot address are refused, naming the rule', () => {
    const nameErrors = (name: string): string[] => entry(sink({ ...validSink, name }), 'name').value.errors;
    for (const name of ['.', '..', 'x'.repeat(4097), '€'.repeat(456), 'a\ud800b', ' ', 'a\u0007b']) {
      assert.equal(nameErrors(name).length, 1, `${JSON.stringify(name.slice(0, 20))} should be refused`);
    }
    assert.match(nameErrors('..')[0]!, /may not be '\.\.': no REST path can address it/);
    assert.match(
      nameErrors('x'.repeat(4097))[0]!,
      /at most 4096 characters once URL-encoded \(this one has 4097\)/,
    );
    for (const name of ['x'.repeat(4096), '€'.repeat(455), '...', 'a.b', 'with/slash', 'ünïcödé']) {
      assert.deepEqual(nameErrors(name), [], `${JSON.stringify(name.slice(0, 20))} should be accepted`);
    }
  });

  test("a valid sink config has no errors and Connect's groups in Connect's order", () => {
    const result = sink(validSink);
    assert.equal(result.name, 'io.sluice.PgSink');
    assert.equal(result.error_count, 0);
    assert.deepEqual(result.groups, ['Common', 'Transforms', 'Predicates', 'Error Handling', 'Connection']);
    // Connect 4.x's ConnectorConfig, KIP-891's version keys included, in definition order.
    assert.deepEqual(
      result.configs.slice(0, 14).map((c) => [c.definition.name, c.definition.order_in_group]),
      [
        ['name', 1],
        ['connector.class', 2],
        ['connector.plugin.version', 3],
        ['tasks.max', 4],
        ['tasks.max.enforce', 5],
        ['key.converter', 6],
        ['key.converter.plugin.version', 7],
        ['value.converter', 8],
        ['value.converter.plugin.version', 9],
        ['header.converter', 10],
        ['header.converter.plugin.version', 11],
        ['transforms', 12],
        ['predicates', 13],
        ['config.action.reload', 14],
      ],
    );
    for (const c of result.configs) {
      assert.ok('order_in_group' in c.definition, `${c.definition.name}: order_in_group`);
      assert.ok(!('order' in c.definition), `${c.definition.name}: no order`);
    }
    assert.equal(entry(result, 'connector.plugin.version').definition.default_value, null);
    assert.equal(entry(result, 'connector.plugin.version').definition.required, false);
    assert.deepEqual(entry(result, 'tasks.max').value, {
      name: 'tasks.max',
      value: '1',
      recommended_values: [],
      errors: [],
      visible: true,
    });
    assert.equal(entry(result, 'errors.tolerance').value.value, 'none');
    assert.equal(entry(result, 'batch.size').value.value, '100');
    assert.equal(entry(result, 'header.converter').value.value, null);
  });

  test('source connectors get the topic-creation, exactly-once and offsets-topic groups', () => {
    const result = validateConnectorConfig({
      tasksMaxLimit: DEFAULT_TASKS_MAX_LIMIT,
      pluginName: 'Src',
      pluginType: 'source',
      pluginDef: {},
      config: { name: 's', 'connector.class': 'Src' },
    });
    assert.equal(result.error_count, 0);
    assert.deepEqual(result.groups, [
      'Common',
      'Transforms',
      'Predicates',
      'Error Handling',
      'Topic Creation',
      'Exactly Once Support',
      'offsets.topic',
    ]);
    assert.equal(entry(result, 'exactly.once.support').value.value, 'requested');
    assert.equal(entry(result, 'transaction.boundary').value.value, 'poll');
  });

  test('a sink needs exactly one of topics / topics.regex, reported on both keys', () => {
    const neither = sink({ name: 'pg', 'connector.class': 'X', 'connection.url': 'u' });
    assert.equal(neither.error_count, 2);
    assert.deepEqual(entry(neither, 'topics').value.errors, ['Must configure one of topics or topics.regex']);
    assert.deepEqual(entry(neither, 'topics.regex').value.errors, [
      'Must configure one of topics or topics.regex',
    ]);
    const both = sink({ ...validSink, 'topics.regex': 'orders.*' });
    assert.deepEqual(entry(both, 'topics').value.errors, [
      'topics and topics.regex are mutually exclusive options, but both are set.',
    ]);
    assert.equal(both.error_count, 2);
  });

  test('the DLQ topic may not be a consumed topic', () => {
    const listed = sink({ ...validSink, topics: 'orders, dlq', 'errors.deadletterqueue.topic.name': 'dlq' });
    assert.deepEqual(entry(listed, 'topics').value.errors, [
      "The DLQ topic 'dlq' may not be included in the list of topics ('topics=[orders, dlq]') consumed by the connector",
    ]);
    const noTopics: Record<string, string> = { ...validSink };
    delete noTopics.topics;
    const matched = sink({ ...noTopics, 'topics.regex': 'd.*', 'errors.deadletterqueue.topic.name': 'dlq' });
    assert.deepEqual(entry(matched, 'topics.regex').value.errors, [
      "The DLQ topic 'dlq' may not be matched by the regex for the topics ('topics.regex=d.*') consumed by the connector",
    ]);
    assert.equal(sink({ ...validSink, 'errors.deadletterqueue.topic.name': 'dlq' }).error_count, 0);
  });

  test('every error is attached to its key and counted', () => {
    const result = sink({
      ...validSink,
      'tasks.max': '0',
      'errors.tolerance': 'some',
      'batch.size': 'many',
      name: '',
    });
    assert.equal(result.error_count, 4);
    assert.match(entry(result, 'tasks.max').value.errors[0]!, /tasks\.max.*at least 1/);
    assert.equal(entry(result, 'tasks.max').value.value, '0');
    assert.match(entry(result, 'errors.tolerance').value.errors[0]!, /none, all/);
    assert.match(entry(result, 'batch.size').value.errors[0]!, /batch\.size/);
    // Connect reports null as the value of something it could not parse.
    assert.equal(entry(result, 'batch.size').value.value, null);
    assert.deepEqual(entry(result, 'name').value.errors, [
      'Invalid value  for configuration name: String may not be empty',
    ]);
  });

  test('missing required keys (connector.class, plugin keys) are errors', () => {
    const result = sink({ name: 'pg', topics: 't' });
    assert.deepEqual(entry(result, 'connector.class').value.errors, [
      'Missing required configuration "connector.class" which has no default value.',
    ]);
    assert.deepEqual(entry(result, 'connection.url').value.errors, [
      'Missing required configuration "connection.url" which has no default value.',
    ]);
    assert.equal(result.error_count, 2);
  });

  test('passwords are shown as [hidden]', () => {
    const result = sink({ ...validSink, 'connection.password': 'hunter2' });
    assert.equal(entry(result, 'connection.password').value.value, '[hidden]');
    assert.ok(!JSON.stringify(result).includes('hunter2'));
  });

  test('null values and extra issues are reported, even on keys nobody defines', () => {
    const result = sink(
      { ...validSink, 'some.key': null },
      {
        extraIssues: [
          { key: 'connection.url', message: 'cannot connect' },
          { key: 'custom.thing', message: 'bad' },
        ],
      },
    );
    assert.equal(result.error_count, 3);
    assert.deepEqual(entry(result, 'some.key').value.errors, [
      'Null value can not be supplied as the configuration value.',
    ]);
    assert.deepEqual(entry(result, 'connection.url').value.errors, ['cannot connect']);
    assert.deepEqual(entry(result, 'custom.thing').value.errors, ['bad']);
    // Connect lists values without a definition before the defined keys.
    assert.equal(result.configs[0]!.value.name, 'some.key');
  });

  test('transform and predicate aliases add their own groups and required type keys', () => {
    const result = sink({
      ...validSink,
      transforms: 'route,mask',
      'transforms.route.type': 'RegexRouter',
      'transforms.mask.negate': 'true',
      predicates: 'isFoo',
    });
    assert.deepEqual(result.groups.slice(-4), [
      'Transforms: route',
      'Transforms: mask',
      'Predicates: isFoo',
      'Connection',
    ]);
    assert.deepEqual(entry(result, 'transforms.mask.type').value.errors, [
      'Missing required configuration "transforms.mask.type" which has no default value.',
      "Config 'transforms.mask.negate' was provided but there is no config 'transforms.mask.predicate' defining a predicate to be negated.",
    ]);
    assert.deepEqual(entry(result, 'predicates.isFoo.type').value.errors, [
      'Missing required configuration "predicates.isFoo.type" which has no default value.',
    ]);
    assert.equal(entry(result, 'transforms.route.type').value.errors.length, 0);
    assert.equal(result.error_count, 3);
  });

  test('duplicate transform aliases are refused', () => {
    const result = sink({ ...validSink, transforms: 'a,a', 'transforms.a.type': 'X' });
    assert.match(entry(result, 'transforms').value.errors[0]!, /Duplicate alias provided\./);
  });

  test("a transformation's own keys are validated when its ConfigDef is known", () => {
    const routerDef: ConfigDef = { regex: { type: 'string', importance: 'high', documentation: 'regex' } };
    const result = sink(
      { ...validSink, transforms: 'route', 'transforms.route.type': 'RegexRouter' },
      {
        aliasPluginDef: (kind, cls) =>
          kind === 'transforms' && cls === 'RegexRouter' ? routerDef : undefined,
      },
    );
    assert.deepEqual(entry(result, 'transforms.route.regex').value.errors, [
      'Missing required configuration "transforms.route.regex" which has no default value.',
    ]);
    assert.equal(entry(result, 'transforms.route.regex').definition.group, 'Transforms: route');
  });

  test("a source using topic creation must set the default group's replication factor and partitions", () => {
    const base = { name: 's', 'connector.class': 'Src' };
    const missing = validateConnectorConfig({
      tasksMaxLimit: DEFAULT_TASKS_MAX_LIMIT,
      pluginName: 'Src',
      pluginType: 'source',
      pluginDef: {},
      config: { ...base, 'topic.creation.default.partitions': '3' },
    });
    assert.deepEqual(entry(missing, 'topic.creation.default.replication.factor').value.errors, [
      'Missing required configuration "topic.creation.default.replication.factor" which has no default value.',
    ]);
    assert.equal(missing.error_count, 1);
    const groups = validateConnectorConfig({
      tasksMaxLimit: DEFAULT_TASKS_MAX_LIMIT,
      pluginName: 'Src',
      pluginType: 'source',
      pluginDef: {},
      config: {
        ...base,
        'topic.creation.groups': 'compacted',
        'topic.creation.default.partitions': '3',
        'topic.creation.default.replication.factor': '-1',
        'topic.creation.compacted.partitions': '0',
        'topic.creation.compacted.include': 'a.*',
      },
    });
    assert.equal(groups.error_count, 1);
    assert.match(
      entry(groups, 'topic.creation.compacted.partitions').value.errors[0]!,
      /Number of partitions must be positive/,
    );
    assert.ok(groups.groups.includes('Topic Creation: compacted'));
  });
});

describe('configKeyInfos', () => {
  test("renders keys in Connect's GET /connector-plugins/{p}/config shape", () => {
    const infos = configKeyInfos(pluginDef);
    assert.deepEqual(infos[0], {
      name: 'connection.url',
      type: 'STRING',
      required: true,
      default_value: null,
      importance: 'HIGH',
      documentation: 'JDBC URL',
      group: 'Connection',
      order_in_group: 1,
      width: 'LONG',
      display_name: 'URL',
      dependents: [],
    });
    assert.deepEqual(
      infos.map((i) => [
        i.name,
        i.type,
        i.required,
        i.default_value,
        i.order_in_group,
        i.width,
        i.display_name,
        i.group,
      ]),
      [
        ['connection.url', 'STRING', true, null, 1, 'LONG', 'URL', 'Connection'],
        ['connection.password', 'PASSWORD', false, null, 2, 'NONE', 'connection.password', 'Connection'],
        ['batch.size', 'INT', false, '100', -1, 'NONE', 'batch.size', null],
      ],
    );
  });

  test('list defaults are joined with commas', () => {
    const [info] = configKeyInfos({
      hosts: { type: 'list', default: ['a', 'b'], importance: 'low', documentation: '' },
    });
    assert.equal(info!.default_value, 'a,b');
    assert.equal(info!.type, 'LIST');
  });
});
