import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TransformationPlugin } from '../../../runtime/api/plugin.js';
import { SluiceError } from '../../../runtime/errors/sluice-error.js';
import {
  buildTransformChain,
  predicatePlugins,
  transformationPlugins,
  transformConfigIssues,
  transformPluginLookup,
} from '../../../runtime/transforms/index.js';
import { sink, source } from './helpers.js';

const lookup = transformPluginLookup();

describe('plugin registry', () => {
  test("every transform is registered under Connect's class name and a short alias", () => {
    const names = transformationPlugins.map((p) => p.className);
    assert.ok(names.includes('org.apache.kafka.connect.transforms.InsertField$Value'));
    assert.ok(names.includes('org.apache.kafka.connect.transforms.TimestampRouter'));
    assert.equal(
      transformationPlugins.find((p) => p.className.endsWith('.Cast$Key'))!.aliases[0],
      'Cast$Key',
    );
    assert.deepEqual(
      predicatePlugins.map((p) => p.className).sort(),
      ['HasHeaderKey', 'RecordIsTombstone', 'TopicNameMatches'].map(
        (n) => `org.apache.kafka.connect.transforms.predicates.${n}`,
      ),
    );
    assert.equal(new Set(names).size, names.length);
  });
});

describe('buildTransformChain', () => {
  test('an unchanged Kafka Connect config (FQCN types) runs in order', () => {
    const chain = buildTransformChain(
      {
        transforms: 'route, insert',
        'transforms.route.type': 'org.apache.kafka.connect.transforms.RegexRouter',
        'transforms.route.regex': '(.*)',
        'transforms.route.replacement': 'copy-$1',
        'transforms.insert.type': 'org.apache.kafka.connect.transforms.InsertField$Value',
        'transforms.insert.topic.field': 'topic',
      },
      lookup,
    );
    assert.deepEqual(chain.aliases, ['route', 'insert']);
    const out = chain.apply(sink({ value: { a: 1 } }))!;
    assert.equal(out.topic, 'copy-orders');
    assert.deepEqual(out.value, { a: 1, topic: 'copy-orders' });
    assert.equal(out.kafkaOffset, 42);
    chain.close();
  });

  test('no transforms: records pass through', () => {
    const rec = source({ value: 1 });
    assert.equal(buildTransformChain({}, lookup).apply(rec), rec);
  });

  test('predicate gates a stage; negate inverts it; null stops the chain', () => {
    const config = {
      transforms: 'dropTombstones,tag',
      'transforms.dropTombstones.type': 'Filter',
      'transforms.dropTombstones.predicate': 'isTombstone',
      'transforms.tag.type': 'InsertHeader',
      'transforms.tag.header': 'seen',
      'transforms.tag.value.literal': 'yes',
      predicates: 'isTombstone',
      'predicates.isTombstone.type': 'org.apache.kafka.connect.transforms.predicates.RecordIsTombstone',
    };
    const chain = buildTransformChain(config, lookup);
    assert.equal(chain.apply(source({ value: null })), null);
    assert.equal(chain.apply(source({ value: 'v' }))!.headers.length, 1);

    const negated = buildTransformChain({ ...config, 'transforms.dropTombstones.negate': 'true' }, lookup);
    assert.equal(negated.apply(source({ value: 'v' })), null);
    assert.equal(negated.apply(source({ value: null }))!.headers[0]!.key, 'seen');
  });

  test('topic predicate with TopicNameMatches alias', () => {
    const chain = buildTransformChain(
      {
        transforms: 'r',
        'transforms.r.type': 'RegexRouter',
        'transforms.r.regex': '.*',
        'transforms.r.replacement': 'matched',
        'transforms.r.predicate': 'onlyOrders',
        predicates: 'onlyOrders',
        'predicates.onlyOrders.type': 'TopicNameMatches',
        'predicates.onlyOrders.pattern': 'orders',
      },
      lookup,
    );
    assert.equal(chain.apply(source({ topic: 'orders' }))!.topic, 'matched');
    assert.equal(chain.apply(source({ topic: 'users' }))!.topic, 'users');
  });

  test('unknown type and missing type throw a SluiceError naming the key', () => {
    assert.throws(
      () => buildTransformChain({ transforms: 'a', 'transforms.a.type': 'com.example.Nope' }, lookup),
      (e: unknown) =>
        e instanceof SluiceError &&
        e.status === 400 &&
        /Invalid value com.example.Nope for configuration transforms.a.type: Class com.example.Nope could not be found./.test(
          e.message,
        ),
    );
    assert.throws(
      () => buildTransformChain({ transforms: 'a' }, lookup),
      /Missing required configuration "transforms.a.type" which has no default value./,
    );
  });

  test('bad options are reported under their prefixed key, including configure-time checks', () => {
    assert.throws(
      () => buildTransformChain({ transforms: 'm', 'transforms.m.type': 'MaskField$Value' }, lookup),
      /Missing required configuration "transforms.m.fields" which has no default value./,
    );
    assert.throws(
      () =>
        buildTransformChain(
          { transforms: 'i', 'transforms.i.type': 'InsertField$Value', 'transforms.i.static.field': 's' },
          lookup,
        ),
      /Invalid value null for configuration transforms.i.static.value: No value specified for static field: s/,
    );
  });
});

describe('transformConfigIssues', () => {
  test('reports every bad key without throwing', () => {
    const issues = transformConfigIssues(
      {
        transforms: 'a,b,c,d,d',
        'transforms.a.type': 'Nope',
        'transforms.b.type': 'Cast$Value',
        'transforms.b.spec': 'x:bytes',
        'transforms.c.type': 'Filter',
        'transforms.c.negate': 'true',
        'transforms.d.type': 'Filter',
        'transforms.d.predicate': 'missing',
        predicates: 'p',
        'predicates.p.type': 'HasHeaderKey',
      },
      lookup,
    );
    assert.deepEqual(issues.map((i) => i.key).sort(), [
      'predicates.p.name',
      'transforms',
      'transforms.a.type',
      'transforms.b.spec',
      'transforms.c.negate',
      'transforms.d.predicate',
    ]);
    assert.match(issues.find((i) => i.key === 'transforms')!.message, /Duplicate alias provided/);
    assert.match(
      issues.find((i) => i.key === 'transforms.c.negate')!.message,
      /there is no config 'transforms.c.predicate' defining a predicate to be negated/,
    );
  });

  test('a valid config has no issues, and configured instances are closed', () => {
    let closed = 0;
    const closing: TransformationPlugin = {
      ...transformationPlugins.find((p) => p.aliases.includes('Filter'))!,
      className: 'com.example.Closing',
      aliases: [],
      create: () => ({ configure() {}, apply: (r) => r, close: () => void closed++ }),
    };
    const custom = transformPluginLookup([...transformationPlugins, closing]);
    assert.deepEqual(
      transformConfigIssues({ transforms: 'x', 'transforms.x.type': 'com.example.Closing' }, custom),
      [],
    );
    assert.equal(closed, 1);
  });
});
