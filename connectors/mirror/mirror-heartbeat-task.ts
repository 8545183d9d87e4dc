import {
  Schemas,
  type ConnectorConfig,
  type SourceRecord,
  type SourceTask,
} from '../../runtime/api/index.js';
import { encodeHeartbeatKey, encodeHeartbeatValue } from './heartbeat.js';
import { parseMirrorSettings, type MirrorSettings } from './mirror-config.js';

/** MM2's MirrorHeartbeatTask: one heartbeat per emit.heartbeats.interval.seconds. */
export class MirrorHeartbeatTask implements SourceTask {
  private settings!: MirrorSettings;
  private nextAt = 0;
  private stopped = false;

  start(config: ConnectorConfig): void {
    this.settings = parseMirrorSettings(config);
    this.nextAt = Date.now();
  }

  async poll(): Promise<readonly SourceRecord[] | null> {
    const wait = Math.min(1_000, Math.max(0, this.nextAt - Date.now()));
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (this.stopped || Date.now() < this.nextAt) return null;
    this.nextAt = Date.now() + this.settings.values.number('emit.heartbeats.interval.seconds') * 1000;
    const heartbeat = {
      sourceClusterAlias: this.settings.sourceAlias,
      targetClusterAlias: this.settings.targetAlias,
      timestamp: Date.now(),
    };
    return [
      {
        sourcePartition: {
          sourceClusterAlias: heartbeat.sourceClusterAlias,
          targetClusterAlias: heartbeat.targetClusterAlias,
        },
        sourceOffset: { offset: 0 },
        topic: this.settings.policy.heartbeatsTopic(),
        kafkaPartition: 0,
        keySchema: Schemas.OPTIONAL_BYTES,
        key: encodeHeartbeatKey(heartbeat),
        valueSchema: Schemas.OPTIONAL_BYTES,
        value: encodeHeartbeatValue(heartbeat),
        timestamp: heartbeat.timestamp,
        headers: [],
      },
    ];
  }

  stop(): void {
    this.stopped = true;
  }
}
