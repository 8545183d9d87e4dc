// PUT /connector-plugins/{p}/config/validate and GET /connector-plugins/{p}/config as Kafka Connect 4.x
// answers them, with the built-in plugins.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinPlugins } from '../../../cli/builtin-plugins.js';
import { connectorValidator } from '../../../cli/connector-validation.js';
import type { ConfigInfos } from '../../../runtime/cluster/rest-types.js';
import { configKeyInfos } from '../../../runtime/config/config-key-info.js';
import { pluginConfigDef } from '../../../runtime/config/connector-config.js';
import { versionMatches } from '../../../runtime/config/plugin-version.js';
import { DEFAULT_TASKS_MAX_LIMIT } from '../../../runtime/config/worker-config.js';
import { PluginRegistry } from '../../../runtime/worker/plugin-registry.js';

const plugins = new PluginRegistry(builtinPlugins);
const validate = connectorValidator(plugins, DEFAULT_TASKS_MAX_LIMIT);

function value(result: ConfigInfos, name: string) {
  const found = result.configs.find((c) => c.value.name === name);
  assert.ok(found, `no entry for ${name}`);
  return found;
}

const fileSink = { name: 'f', 'connector.class': 'FileStreamSink', topics: 't' };

describe('connector validation (Connect 4.x shapes)', () => {
  test('name is the connector.class given; FileStreamSink needs no file, as in Connect', async () => {
    const result = await validate(plugins.requireConnector('FileStreamSink'), fileSink);
    assert.equal(result.name, 'FileStreamSink');
    assert.equal(result.error_count, 0, JSON.stringify(result.configs.filter((c) => c.value.errors.length)));
    const file = value(result, 'file').definition;
    assert.equal(file.required, false);
    assert.equal(file.default_value, null);
    const fqcn = await validate(plugins.requireConnector('FileStreamSink'), {
      ...fileSink,
      'connector.class': 'org.apache.kafka.connect.file.FileStreamSinkConnector',
    });
    assert.equal(fqcn.name, 'org.apache.kafka.connect.file.FileStreamSinkConnector');
  });

  test('recommended_values: converter, header converter, transform and predicate classes, installed versions', async () => {
    const result = await validate(plugins.requireConnector('FileStreamSink'), {
      ...fileSink,
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      transforms: 'cast',
      'transforms.cast.type': 'org.apache.kafka.connect.transforms.Cast$Value',
      'transforms.cast.spec': 'string',
      predicates: 'isFoo',
      'predicates.isFoo.type': 'org.apache.kafka.connect.transforms.predicates.TopicNameMatches',
      'predicates.isFoo.pattern': 'foo',
    });
    assert.equal(result.error_count, 0, JSON.stringify(result.configs.filter((c) => c.value.errors.length)));
    const rec = (name: string): string[] => value(result, name).value.recommended_values;
    for (const key of ['key.converter', 'value.converter']) {
      assert.ok(rec(key).includes('org.apache.kafka.connect.json.JsonConverter'), key);
      assert.ok(rec(key).includes('org.apache.kafka.connect.converters.ByteArrayConverter'), key);
    }
    assert.ok(rec('header.converter').includes('org.apache.kafka.connect.storage.SimpleHeaderConverter'));
    assert.ok(rec('transforms.cast.type').includes('org.apache.kafka.connect.transforms.Cast$Value'));
    assert.ok(
      rec('predicates.isFoo.type').includes(
        'org.apache.kafka.connect.transforms.predicates.TopicNameMatches',
      ),
    );
    assert.deepEqual(rec('connector.plugin.version'), ['0.1.0']);
    assert.equal(rec('key.converter.plugin.version').length, 1);
    assert.deepEqual(rec('value.converter.plugin.version'), []);
    assert.deepEqual(rec('topics'), []);
  });

  test('a *.plugin.version that the installed plugin does not satisfy is an error on that key', async () => {
    const connector = plugins.requireConnector('FileStreamSink');
    const errors = async (extra: Record<string, string>, key: string): Promise<string[]> =>
      value(await validate(connector, { ...fileSink, ...extra }), key).value.errors;
    assert.deepEqual(await errors({ 'connector.plugin.version': '0.1.0' }, 'connector.plugin.version'), []);
    assert.deepEqual(
      await errors({ 'connector.plugin.version': '[0.1,1.0)' }, 'connector.plugin.version'),
      [],
    );
    assert.match(
      (await errors({ 'connector.plugin.version': '9.9.9' }, 'connector.plugin.version'))[0] ?? '',
      /installed in version 0\.1\.0 only/,
    );
    assert.match(
      (
        await errors(
          { 'value.converter': 'JsonConverter', 'value.converter.plugin.version': '[2.0,)' },
          'value.converter.plugin.version',
        )
      )[0] ?? '',
      /JsonConverter is installed in version/,
    );
  });

  test('transforms/predicates.<alias>.plugin.version: defined after the type, default the installed version, checked', async () => {
    const config = {
      ...fileSink,
      transforms: 'mask',
      'transforms.mask.type': 'org.apache.kafka.connect.transforms.MaskField$Value',
      'transforms.mask.fields': 'x',
      'transforms.mask.predicate': 'tomb',
      predicates: 'tomb',
      'predicates.tomb.type': 'org.apache.kafka.connect.transforms.predicates.RecordIsTombstone',
    };
    const result = await validate(plugins.requireConnector('FileStreamSink'), config);
    assert.equal(result.error_count, 0, JSON.stringify(result.configs.filter((c) => c.value.errors.length)));
    const version = value(result, 'transforms.mask.plugin.version');
    assert.equal(version.definition.order_in_group, 1);
    assert.equal(version.definition.group, 'Transforms: mask');
    assert.equal(version.definition.default_value, plugins.transformation('MaskField$Value')!.version);
    assert.deepEqual(version.value.recommended_values, [version.definition.default_value]);
    assert.equal(value(result, 'predicates.tomb.plugin.version').definition.order_in_group, 1);
    // As Connect's ConfigDef.embed: the alias's other keys in name order, shown by their own names.
    const order = ['fields', 'negate', 'predicate', 'replace.null.with.default', 'replacement'].map(
      (k) => value(result, `transforms.mask.${k}`).definition,
    );
    assert.deepEqual(
      order.map((d) => [d.order_in_group, d.display_name]),
      order.map((d, i) => [i + 2, d.name.slice('transforms.mask.'.length)]),
    );
    const pinned = await validate(plugins.requireConnector('FileStreamSink'), {
      ...config,
      'transforms.mask.plugin.version': '[99.0,)',
    });
    assert.equal(value(pinned, 'transforms.mask.plugin.version').value.errors.length, 1);
  });

  test('version ranges as Maven reads them', () => {
    assert.equal(versionMatches('1.2.0', '1.2.0'), true);
    assert.equal(versionMatches('1.2', '1.2.0'), true);
    assert.equal(versionMatches('1.3', '1.2.0'), false);
    assert.equal(versionMatches('[1.0,2.0)', '1.9.9'), true);
    assert.equal(versionMatches('[1.0,2.0)', '2.0.0'), false);
    assert.equal(versionMatches('(1.0,2.0]', '1.0'), false);
    assert.equal(versionMatches('(1.0,2.0]', '2.0'), true);
    assert.equal(versionMatches('[1.5,)', '10.0'), true);
    assert.equal(versionMatches('(,1.0],[1.2,)', '1.1'), false);
    assert.equal(versionMatches('(,1.0],[1.2,)', '1.3'), true);
    assert.equal(versionMatches('[1.2]', '1.2'), true);
    assert.equal(versionMatches('[1.0,2.0', '1.5'), null);
    assert.equal(versionMatches('1.0,2.0', '1.5'), null);
  });

  test("GET /connector-plugins/{p}/config: Connect's common keys then the plugin's, each with group and order_in_group", () => {
    const sink = configKeyInfos(pluginConfigDef(plugins.requireConnector('FileStreamSink')));
    const names = sink.map((k) => k.name);
    for (const key of [
      'name',
      'connector.class',
      'connector.plugin.version',
      'tasks.max',
      'tasks.max.enforce',
      'key.converter',
      'key.converter.plugin.version',
      'value.converter',
      'value.converter.plugin.version',
      'header.converter',
      'header.converter.plugin.version',
      'transforms',
      'predicates',
      'config.action.reload',
      'errors.retry.timeout',
      'errors.tolerance',
      'errors.deadletterqueue.topic.name',
      'topics',
      'topics.regex',
      'file',
    ])
      assert.ok(names.includes(key), `${key} missing from ${names.join(', ')}`);
    assert.equal(names[0], 'name');
    assert.deepEqual(names.slice(-2), ['file', 'delivery.guarantee'], "the plugin's own keys come last");
    assert.ok(!names.includes('exactly.once.support'), 'no source keys for a sink');
    const tasksMax = sink.find((k) => k.name === 'tasks.max');
    assert.deepEqual(Object.keys(tasksMax ?? {}), [
      'name',
      'type',
      'required',
      'default_value',
      'importance',
      'documentation',
      'group',
      'order_in_group',
      'width',
      'display_name',
      'dependents',
    ]);
    assert.equal(tasksMax?.group, 'Common');
    assert.equal(tasksMax?.order_in_group, 4);
    assert.equal(sink.find((k) => k.name === 'topics')?.order_in_group, 4);
    assert.equal(sink.find((k) => k.name === 'errors.tolerance')?.group, 'Error Handling');

    const source = configKeyInfos(pluginConfigDef(plugins.requireConnector('FileStreamSource'))).map(
      (k) => k.name,
    );
    for (const key of [
      'topic.creation.groups',
      'exactly.once.support',
      'transaction.boundary',
      'transaction.boundary.interval.ms',
      'offsets.storage.topic',
      'file',
      'topic',
    ])
      assert.ok(source.includes(key), `${key} missing from ${source.join(', ')}`);
    assert.ok(!source.includes('topics'), 'no sink keys for a source');

    const cast = plugins.anyPlugin('org.apache.kafka.connect.transforms.Cast$Value');
    assert.ok(cast);
    assert.deepEqual(
      configKeyInfos(pluginConfigDef(cast)).map((k) => k.name),
      Object.keys(cast.configDef),
      'a transformation lists only its own keys',
    );
  });
});
