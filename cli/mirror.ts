import { dirname, resolve } from 'node:path';
import {
  planMirrorMaker,
  sameConnectorConfig,
  type MirrorFlow,
} from '../connectors/mirror/mirror-maker-config.js';
import type { Logger } from '../runtime/api/logger.js';
import type { DistributedHerder } from '../runtime/cluster/distributed-herder.js';
import { readPropertiesFile } from '../runtime/config/properties-file.js';
import { SluiceError } from '../runtime/errors/sluice-error.js';
import { LogRegistry } from '../runtime/logging/log-registry.js';
import { logFormatFrom } from '../runtime/logging/text-log-stream.js';
import { startDistributedWorker, type RunningDistributed } from './distributed.js';

/** One replication flow served by this process: a member of the flow's distributed worker group. */
export interface RunningMirrorFlow {
  /** `<source>-><target>` */
  readonly flow: string;
  /** This process's REST API for the flow (status of the flow's connectors and tasks). */
  readonly url: string;
  /** The flow's `sluice.mirror` logger: where the shutdown notices go, in the log format. */
  readonly logger: Logger;
  stop(): Promise<void>;
}

const isAddressInUse = (error: unknown): boolean =>
  (error as NodeJS.ErrnoException | null)?.code === 'EADDRINUSE';

/** A mistake in the file: starting again cannot help. */
const isConfigError = (error: unknown): boolean =>
  error instanceof SluiceError &&
  (error.code.startsWith('CONFIG_') || error.code === 'INVALID_CONFIG' || error.code === 'PLUGIN_NOT_FOUND');

/** How often a flow's worker is started before its error ends the process (waits 1, 2, 4, 8 s). */
const START_ATTEMPTS = 5;

/** The same listener on a free port. */
const onFreePort = (listener: string): string => listener.replace(/:\d+$/, ':0');

/**
 * Keeps the flow's connectors in the config topic equal to what mm2.properties says, as MM2's
 * MirrorHerder does: only the group's leader writes, and only connectors whose stored config differs,
 * so restarting with a changed file updates them and processes agreeing on the file never rewrite.
 * It runs at every round this process leads (MM2 runs it when a process becomes leader), which also
 * retries a write that failed.
 */
class FlowConnectorConfigurer {
  private herder: DistributedHerder | null = null;
  private leading = false;
  private stopped = false;
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly flow: MirrorFlow,
    private readonly log: Logger,
  ) {}

  attach(herder: DistributedHerder): void {
    this.herder = herder;
    if (this.leading) this.trigger();
  }

  onRebalance(round: { readonly generation: number; readonly isLeader: boolean }): void {
    this.leading = round.isLeader;
    if (round.isLeader) this.trigger();
  }

  stop(): void {
    this.stopped = true;
  }

  private trigger(): void {
    if (this.herder === null || this.stopped) return;
    if (this.running !== null) {
      this.again = true;
      return;
    }
    this.running = this.configure(this.herder)
      .catch((error: unknown) =>
        this.log.error(
          `could not write the connector configs of ${this.flow.name}; retrying at the next rebalance this process leads`,
          { error: String(error) },
        ),
      )
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          if (this.leading) this.trigger();
        }
      });
  }

  private async configure(herder: DistributedHerder): Promise<void> {
    for (const [name, config] of this.flow.connectors) {
      // A process that lost the lead leaves the configs to the new leader (MM2's NotLeaderException).
      if (!this.leading || this.stopped) return;
      const stored = await herder.connectorConfig(name).catch(() => undefined);
      if (stored !== undefined && sameConnectorConfig(stored, config)) continue;
      await herder.putConnectorConfig(name, { ...config }, { allowReplace: true });
      this.log.info(
        `${stored === undefined ? 'created' : 'updated'} connector ${name} of ${this.flow.name} (this process leads the flow's group)`,
      );
    }
  }
}

/** Rejects a flow whose connector configs the connectors would refuse, naming every failing key. */
async function checkConnectorConfigs(flow: MirrorFlow, herder: DistributedHerder): Promise<void> {
  for (const [name, config] of flow.connectors) {
    const infos = await herder.validateConnectorConfig(config['connector.class']!, config);
    if (infos.error_count === 0) continue;
    const errors = infos.configs.flatMap((c) => c.value.errors.map((e) => `${c.value.name}: ${e}`));
    throw new SluiceError('INVALID_CONFIG', [
      infos.error_count,
      `${name} of flow ${flow.name}:\n${errors.join('\n')}`,
    ]);
  }
}

async function startFlow(flow: MirrorFlow, baseDir: string): Promise<RunningMirrorFlow> {
  const level = flow.workerConfig['log.level'] ?? process.env['SLUICE_LOG_LEVEL'] ?? 'INFO';
  // Log lines carry the flow they belong to: one process serves several flows on one stdout.
  const logs = new LogRegistry({
    level,
    bindings: { flow: flow.name },
    format: logFormatFrom(flow.workerConfig),
  });
  const log = logs.logger('sluice.mirror');
  const configurer = new FlowConnectorConfigurer(flow, log);
  const start = (workerConfig: Readonly<Record<string, string>>): Promise<RunningDistributed> =>
    startDistributedWorker(workerConfig, {
      baseDir,
      logs,
      onRebalance: (round) => configurer.onRebalance(round),
    });

  let workerConfig = flow.workerConfig;
  let running: RunningDistributed | null = null;
  for (let attempt = 1; running === null; attempt++) {
    try {
      running = await start(workerConfig);
    } catch (error) {
      const listener = workerConfig['listeners']!;
      if (isAddressInUse(error) && onFreePort(listener) !== listener) {
        // Another process of the same mirror on this machine (or anything else) has the port: HA and
        // scale-out run the same file several times, so this one serves its REST API elsewhere.
        log.warn(`REST address ${listener} is in use; serving this flow's REST API on a free port instead`);
        workerConfig = { ...workerConfig, listeners: onFreePort(listener) };
      } else if (isConfigError(error) || attempt === START_ATTEMPTS) {
        throw error;
      } else {
        // E.g. kafkajs reporting a just-created internal topic as unknown: the next attempt finds it.
        const delayMs = 1_000 * 2 ** (attempt - 1);
        log.warn(
          `the worker of flow ${flow.name} could not start (attempt ${attempt}); retrying in ${delayMs} ms`,
          {
            error: String(error),
          },
        );
        await new Promise((r) => setTimeout(r, delayMs));
      }
    }
  }
  try {
    await checkConnectorConfigs(flow, running.herder);
  } catch (error) {
    configurer.stop();
    await running.stop();
    throw error;
  }
  configurer.attach(running.herder);
  log.info(
    `flow ${flow.name}: REST API on ${running.url}; group ${flow.workerConfig['group.id']} with ${flow.workerConfig['config.storage.topic']}, ${flow.workerConfig['offset.storage.topic']}, ${flow.workerConfig['status.storage.topic']} on ${flow.target} (${flow.workerConfig['bootstrap.servers']})`,
  );
  return {
    flow: flow.name,
    url: running.url,
    logger: log,
    async stop() {
      configurer.stop();
      await running.stop();
    },
  };
}

/**
 * Dedicated MirrorMaker mode, as MM2's `connect-mirror-maker.sh`: for every enabled flow source->target
 * (only those into `onlyTargets` when given), a distributed worker against the target cluster with
 * MM2's group (`<source>-mm2`) and internal topics (`mm2-{configs,offsets,status}.<source>.internal`).
 * Every process started with the same mm2.properties joins the same groups: they share the work and
 * take over from each other, and all state (connector configs, source offsets, statuses) is in Kafka.
 */
export async function startMirrorMaker(
  file: string,
  onlyTargets: readonly string[] | null,
): Promise<RunningMirrorFlow[]> {
  const props = await readPropertiesFile(file);
  const plan = planMirrorMaker(props, onlyTargets, file);
  if (plan.flows.length === 0)
    throw new SluiceError('MIRROR_CONFIG_INVALID', [
      file,
      `no enabled flow${onlyTargets ? ` into ${onlyTargets.join(',')}` : ''} (set e.g. A->B.enabled=true)`,
    ]);
  if (props['sluice.mirror.state.dir'] !== undefined) {
    process.stderr.write(
      `sluice: sluice.mirror.state.dir is no longer used: dedicated mode keeps its state in Kafka (mm2-offsets.<source>.internal etc. on the target cluster)\n`,
    );
  }
  const baseDir = dirname(resolve(file));
  const results = await Promise.allSettled(plan.flows.map((flow) => startFlow(flow, baseDir)));
  const started = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed !== undefined) {
    await Promise.allSettled(started.map((flow) => flow.stop()));
    throw failed.reason;
  }
  return started;
}
