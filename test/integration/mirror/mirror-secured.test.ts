// `sluice mirror` with secured clusters, configured by MM2's per-cluster keys: cluster A is reached as
// alias S over SASL_SSL and as alias M over SSL with a client certificate. S->B reads a secured source;
// B->M runs its flow's worker (internal topics, group) and writes its copy over the secured target.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createTopic, produce } from '../../support/kafka-test-client.js';
import { KAFKA_B_BOOTSTRAP, KAFKA_BOOTSTRAP } from '../../support/endpoints.js';
import { makeTempDir, removeTempDir, waitFor } from '../../support/worker-process.js';
import {
  KAFKA_SASL_BOOTSTRAP,
  KAFKA_SSL_BOOTSTRAP,
  mtlsProperties,
  SASL_SSL_PROPERTIES,
} from '../security/secured-cluster.js';
import { A, B, deleteAll, mm2Props, sizeOf } from './mirror-fixture.js';
import { MirrorProcess } from './mirror-process.js';

const id = `kafkasecmm${randomUUID().slice(0, 8)}`;
const fromA = `${id}-a`;
const fromB = `${id}-b`;
const RECORDS = 40;

const withAlias = (alias: string, props: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(props).map(([k, v]) => [`${alias}.${k}`, v]));

describe('sluice mirror over SASL_SSL and mTLS', () => {
  let mirror: MirrorProcess;
  let keys: string;

  before(async () => {
    keys = await makeTempDir('kafkasec-mm-keys');
    await Promise.all([createTopic(fromA, 1, KAFKA_BOOTSTRAP), createTopic(fromB, 1, KAFKA_B_BOOTSTRAP)]);
    const base = mm2Props(id);
    for (const key of Object.keys(base)) if (/^(A|B)\.|^A->B\./.test(key)) delete base[key];
    mirror = await MirrorProcess.create({
      ...base,
      clusters: 'S, M, B',
      'B.bootstrap.servers': KAFKA_B_BOOTSTRAP,
      'S.bootstrap.servers': KAFKA_SASL_BOOTSTRAP,
      ...withAlias('S', SASL_SSL_PROPERTIES),
      'M.bootstrap.servers': KAFKA_SSL_BOOTSTRAP,
      ...withAlias('M', mtlsProperties(keys)),
      'S->B.enabled': 'true',
      'S->B.topics': fromA,
      'S->B.groups': `${id}-none`,
      'B->M.enabled': 'true',
      'B->M.topics': fromB,
      'B->M.groups': `${id}-none`,
      // Each flow's group and internal topics named after this run.
      'B.group.id': `${id}-into-b`,
      'B.config.storage.topic': `mm2-configs.${id}-b.internal`,
      'B.offset.storage.topic': `mm2-offsets.${id}-b.internal`,
      'B.status.storage.topic': `mm2-status.${id}-b.internal`,
      'M.group.id': `${id}-into-a`,
      'M.config.storage.topic': `mm2-configs.${id}-a.internal`,
      'M.offset.storage.topic': `mm2-offsets.${id}-a.internal`,
      'M.status.storage.topic': `mm2-status.${id}-a.internal`,
    });
    await mirror.start(['S->B', 'B->M']);
  });

  after(async () => {
    await mirror?.stop().catch(() => undefined);
    const internal = (side: string) =>
      ['configs', 'offsets', 'status'].map((k) => `mm2-${k}.${id}-${side}.internal`);
    // heartbeats and mm2-offset-syncs.<alias>.internal are shared by every mirror test: left alone.
    await deleteAll(B, new Set([fromB, `S.${fromA}`, ...internal('b')]), new Set([`${id}-into-b`]));
    await deleteAll(A, new Set([fromA, `B.${fromB}`, ...internal('a')]), new Set([`${id}-into-a`]));
    await removeTempDir(keys);
    if (mirror !== undefined) await removeTempDir(mirror.dir);
  });

  test('S->B copies every record from the SASL_SSL source; B->M writes every record to the mTLS target', async () => {
    const values = (prefix: string) =>
      Array.from({ length: RECORDS }, (_, i) => ({ value: `${prefix}-${i}` }));
    await Promise.all([produce(fromA, values('a')), produce(fromB, values('b'), KAFKA_B_BOOTSTRAP)]);
    await waitFor(
      async () => (await sizeOf(B, `S.${fromA}`)) === RECORDS,
      60_000,
      `${RECORDS} records on B's S.${fromA}`,
    );
    await waitFor(
      async () => (await sizeOf(A, `B.${fromB}`)) === RECORDS,
      60_000,
      `${RECORDS} records on A's B.${fromB}`,
    );
    assert.equal(await sizeOf(B, `S.${fromA}`), RECORDS);
    assert.equal(await sizeOf(A, `B.${fromB}`), RECORDS);
    assert.ok(!mirror.log.includes('sluice-secret'), 'the SASL password shows in the mirror log');
  });
});
