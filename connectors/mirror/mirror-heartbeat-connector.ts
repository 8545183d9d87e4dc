import {
  kafkaAccessOf,
  type ConfigIssue,
  type ConnectorConfig,
  type ExactlyOnceSupport,
  type SourceConnector,
  type SourceConnectorContext,
} from '../../runtime/api/index.js';
import { parseMirrorSettings, validateMirrorConfig } from './mirror-config.js';
import { ensureInternalTopic } from './remote-topics.js';

/** MM2's MirrorHeartbeatConnector: one task emitting heartbeats to the target's `heartbeats` topic. */
export class MirrorHeartbeatConnector implements SourceConnector {
  private config: ConnectorConfig = {};
  private enabled = true;

  async start(config: ConnectorConfig, context: SourceConnectorContext): Promise<void> {
    this.config = config;
    const settings = parseMirrorSettings(config);
    this.enabled = settings.values.boolean('emit.heartbeats.enabled');
    if (!this.enabled) return;
    const target = kafkaAccessOf(context).connect(settings.targetCluster);
    try {
      await ensureInternalTopic(
        await target.admin(),
        settings.policy.heartbeatsTopic(),
        settings.values.number('heartbeats.topic.replication.factor'),
      );
    } finally {
      await target.close();
    }
  }

  /** Its records carry no source position a replay could repeat (as MM2's, which reports SUPPORTED). */
  exactlyOnceSupport(): ExactlyOnceSupport {
    return 'SUPPORTED';
  }

  taskConfigs(maxTasks: number): ConnectorConfig[] {
    return this.enabled && maxTasks > 0 ? [{ ...this.config }] : [];
  }

  stop(): void {}

  validate(config: ConnectorConfig): readonly ConfigIssue[] {
    return validateMirrorConfig(config);
  }
}
