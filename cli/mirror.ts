import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { planMirrorMaker } from '../connectors/mirror/mirror-maker-config.js';
import { readPropertiesFile } from '../runtime/config/properties-file.js';
import { startStandalone, type RunningStandalone } from './standalone.js';

const DEFAULT_LISTENER = 'http://127.0.0.1:8083';

/** The REST listener for the n-th target cluster: `<alias>.listeners`, else `listeners` with the port moved up by n. */
function listenerFor(props: Readonly<Record<string, string>>, alias: string, index: number): string {
  const own = props[`${alias}.listeners`];
  if (own !== undefined) return own;
  const url = new URL((props['listeners'] ?? DEFAULT_LISTENER).split(',')[0]!.trim());
  url.port = String(Number(url.port || 8083) + index);
  return url.toString().replace(/\/$/, '');
}

function toProperties(entries: Readonly<Record<string, string>>): string {
  const escape = (s: string): string => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/^\s/, '\\ ');
  return (
    Object.entries(entries)
      .map(([k, v]) => `${escape(k).replace(/[=:]/g, (c) => `\\${c}`)}=${escape(v)}`)
      .join('\n') + '\n'
  );
}

/**
 * Dedicated MirrorMaker mode: one standalone worker per target cluster (producing to it), running the
 * Heartbeat, Source and Checkpoint connectors of every enabled flow into that cluster. Offsets and
 * connector configs live in local files under `sluice.mirror.state.dir` (default: beside the file).
 */
export async function startMirrorMaker(
  file: string,
  onlyTargets: readonly string[] | null,
): Promise<RunningStandalone[]> {
  const props = await readPropertiesFile(file);
  const plan = planMirrorMaker(props, onlyTargets);
  if (plan.flows.length === 0)
    throw new Error(
      `no enabled flow${onlyTargets ? ` into ${onlyTargets.join(',')}` : ''} in ${file} (set e.g. A->B.enabled=true)`,
    );
  const stateDir = resolve(
    props['sluice.mirror.state.dir'] ?? join(dirname(resolve(file)), 'sluice-mirror-state'),
  );
  const targets = [...new Set(plan.flows.map((f) => f.target))];
  const running: RunningStandalone[] = [];
  for (const [index, target] of targets.entries()) {
    const dir = join(stateDir, target);
    await mkdir(dir, { recursive: true });
    const cluster = plan.clusterProperties.get(target)!;
    const worker: Record<string, string> = {
      'bootstrap.servers': cluster['bootstrap.servers']!,
      'client.id': `sluice-mirror-${target}`,
      'offset.storage.file.filename': join(dir, 'offsets.json'),
      'sluice.connectors.file': join(dir, 'connectors.json'),
      listeners: listenerFor(props, target, index),
      'offset.flush.interval.ms': props['offset.flush.interval.ms'] ?? '5000',
      'key.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
      'value.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
      'header.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
      ...(props['log.level'] ? { 'log.level': props['log.level'] } : {}),
      ...Object.fromEntries(
        ['producer.', 'task.shutdown.graceful.timeout.ms'].flatMap((p) =>
          Object.entries(props).filter(([k]) => k.startsWith(p)),
        ),
      ),
    };
    const workerFile = join(dir, 'worker.properties');
    await writeFile(workerFile, toProperties(worker));
    const connectorFiles: string[] = [];
    for (const flow of plan.flows.filter((f) => f.target === target)) {
      for (const [name, config] of flow.connectors) {
        const path = join(dir, `${name.replace(/[^A-Za-z0-9._-]/g, '_')}.json`);
        await writeFile(path, JSON.stringify({ name, config }, null, 2));
        connectorFiles.push(path);
      }
    }
    running.push(await startStandalone(workerFile, connectorFiles));
  }
  return running;
}
