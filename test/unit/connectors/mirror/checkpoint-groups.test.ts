import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type {
  ClusterAdmin,
  CommittedOffset,
  KafkaAccess,
  KafkaClusterClient,
  SourceConnectorContext,
} from '../../../../runtime/api/index.js';
import { javaHashMapOrder } from '../../../../runtime/api/index.js';
import { MirrorCheckpointConnector } from '../../../../connectors/mirror/mirror-checkpoint-connector.js';

/** A source cluster whose groups committed offsets on the given topics (the admin calls group discovery makes). */
function cluster(groups: Record<string, string[]>): KafkaAccess {
  const admin = {
    listTopics: async () => [],
    createTopics: async () => undefined,
    listGroups: async () => Object.keys(groups),
    committedOffsets: async (group: string): Promise<CommittedOffset[]> =>
      (groups[group] ?? []).map((topic) => ({ topic, partition: 0, offset: 5, metadata: '' })),
    close: async () => undefined,
  } as unknown as ClusterAdmin;
  const client = { admin: async () => admin, close: async () => undefined } as unknown as KafkaClusterClient;
  return { connect: () => client };
}

async function checkpointTaskGroups(
  groups: Record<string, string[]>,
  config: Record<string, string>,
  maxTasks: number,
): Promise<string[]> {
  const connector = new MirrorCheckpointConnector();
  const logger = { info() {}, warn() {}, error() {}, debug() {} };
  await connector.start(
    {
      'source.cluster.alias': 'A',
      'target.cluster.alias': 'B',
      'source.cluster.bootstrap.servers': 'a:9092',
      'target.cluster.bootstrap.servers': 'b:9092',
      'refresh.groups.enabled': 'false',
      ...config,
    },
    { connectorName: 'cp', logger, kafka: cluster(groups) } as unknown as SourceConnectorContext,
  );
  try {
    return connector.taskConfigs(maxTasks).map((c) => c['task.assigned.groups']!);
  } finally {
    await connector.stop();
  }
}

describe('MirrorCheckpointConnector group discovery (as MM2)', () => {
  test('only groups with committed offsets on a replicated topic, in HashSet order, consecutive runs per task', async () => {
    const groups = {
      'orders-app': ['orders'],
      'both-app': ['payments', 'orders'],
      'other-app': ['unreplicated'],
      'idle-app': [],
      'excluded-app': ['orders'],
    };
    const config = { topics: 'orders|payments', 'groups.exclude': 'excluded-.*' };
    const expected = javaHashMapOrder(['orders-app', 'both-app']);
    assert.deepEqual(await checkpointTaskGroups(groups, config, 1), [expected.join(',')]);
    assert.deepEqual(await checkpointTaskGroups(groups, config, 4), expected);
    assert.deepEqual(await checkpointTaskGroups({ 'other-app': ['unreplicated'] }, config, 2), []);
  });
});
