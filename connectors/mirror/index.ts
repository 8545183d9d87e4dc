import type { SourcePlugin } from '../../runtime/api/index.js';
import { mirrorConfigDef } from './mirror-config.js';
import { MirrorCheckpointConnector } from './mirror-checkpoint-connector.js';
import { MirrorCheckpointTask } from './mirror-checkpoint-task.js';
import { MirrorHeartbeatConnector } from './mirror-heartbeat-connector.js';
import { MirrorHeartbeatTask } from './mirror-heartbeat-task.js';
import { MirrorSourceConnector } from './mirror-source-connector.js';
import { MirrorSourceTask } from './mirror-source-task.js';

const VERSION = '0.1.0';
const MM2_PACKAGE = 'org.apache.kafka.connect.mirror';
/** Each side's client settings (MirrorConnectorConfig's source.cluster.* / target.cluster.*). */
const MIRROR_CLIENT_PREFIXES = ['source.cluster.', 'target.cluster.'];

export const mirrorSourcePlugin: SourcePlugin = {
  type: 'source',
  className: `${MM2_PACKAGE}.MirrorSourceConnector`,
  taskClassName: `${MM2_PACKAGE}.MirrorSourceTask`,
  aliases: [],
  version: VERSION,
  configDef: mirrorConfigDef,
  configPrefixes: MIRROR_CLIENT_PREFIXES,
  createConnector: () => new MirrorSourceConnector(),
  createTask: () => new MirrorSourceTask(),
};

export const mirrorCheckpointPlugin: SourcePlugin = {
  type: 'source',
  className: `${MM2_PACKAGE}.MirrorCheckpointConnector`,
  taskClassName: `${MM2_PACKAGE}.MirrorCheckpointTask`,
  aliases: [],
  version: VERSION,
  configDef: mirrorConfigDef,
  configPrefixes: MIRROR_CLIENT_PREFIXES,
  createConnector: () => new MirrorCheckpointConnector(),
  createTask: () => new MirrorCheckpointTask(),
};

export const mirrorHeartbeatPlugin: SourcePlugin = {
  type: 'source',
  className: `${MM2_PACKAGE}.MirrorHeartbeatConnector`,
  taskClassName: `${MM2_PACKAGE}.MirrorHeartbeatTask`,
  aliases: [],
  version: VERSION,
  configDef: mirrorConfigDef,
  configPrefixes: MIRROR_CLIENT_PREFIXES,
  createConnector: () => new MirrorHeartbeatConnector(),
  createTask: () => new MirrorHeartbeatTask(),
};

export const mirrorPlugins: readonly SourcePlugin[] = [
  mirrorSourcePlugin,
  mirrorCheckpointPlugin,
  mirrorHeartbeatPlugin,
];

export {
  decodeCheckpoint,
  encodeCheckpointKey,
  encodeCheckpointValue,
  type Checkpoint,
} from './checkpoint.js';
export { decodeHeartbeat, encodeHeartbeatKey, encodeHeartbeatValue, type Heartbeat } from './heartbeat.js';
export {
  decodeOffsetSync,
  encodeOffsetSyncKey,
  encodeOffsetSyncValue,
  type OffsetSync,
} from './offset-sync.js';
export {
  DefaultReplicationPolicy,
  IdentityReplicationPolicy,
  replicationPolicyFor,
  type ReplicationPolicy,
} from './replication-policy.js';
