/**
 * REST: one scripted sequence of calls against a Java Kafka Connect standalone worker and a Sluice
 * standalone worker, each with its own connector names, topics and files; every answer's status code and
 * body are compared after the side-specific names, ids, versions and traces are replaced by placeholders.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchDir, writeWorkerFile } from '../bench/support/worker-files.js';
import { freePort } from '../bench/support/child-process.js';
import { diffJson, maskKeys, replaceTexts, type Difference } from './difference.js';
import { SIDES, startStandalone, until, waitForRest, type RunningSide, type Side } from './sides.js';

interface Step {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
  /** Waits until the connector and its tasks are in this state before the call. */
  readonly after?: 'RUNNING' | 'PAUSED' | 'STOPPED';
  /** Lists keyed by this field, so the comparison pairs entries by name instead of position. */
  readonly keyBy?: (entry: unknown) => string;
}

interface Reply {
  readonly status: number;
  readonly body: unknown;
}

/** Values that differ by nature: who ran it, which build, when, and stack traces. */
const MASKED = new Set(['worker_id', 'version', 'commit', 'trace', 'kafka_cluster_id']);

const byClass = (e: unknown): string => String((e as { class?: unknown }).class);
const byName = (e: unknown): string => String((e as { name?: unknown }).name);
const byDefinitionName = (e: unknown): string =>
  String((e as { definition?: { name?: unknown } }).definition?.name);

function script(names: { connector: string; topic: string; file: string; sink: string }): Step[] {
  const c = `/connectors/${names.connector}`;
  const source = {
    'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
    'tasks.max': '1',
    file: names.file,
    topic: names.topic,
  };
  const sinkConfig = {
    'connector.class': 'org.apache.kafka.connect.file.FileStreamSinkConnector',
    'tasks.max': '1',
    topics: names.topic,
    file: `${names.file}.out`,
    transforms: 'mask',
    'transforms.mask.type': 'org.apache.kafka.connect.transforms.MaskField$Value',
    'transforms.mask.fields': 'x',
    'transforms.mask.predicate': 'isTombstone',
    predicates: 'isTombstone',
    'predicates.isTombstone.type': 'org.apache.kafka.connect.transforms.predicates.RecordIsTombstone',
  };
  const validate = '/connector-plugins/org.apache.kafka.connect.file.FileStreamSinkConnector/config/validate';
  return [
    { name: 'GET /', method: 'GET', path: '/' },
    { name: 'GET /connector-plugins', method: 'GET', path: '/connector-plugins', keyBy: byClass },
    {
      name: 'GET /connector-plugins?connectorsOnly=false',
      method: 'GET',
      path: '/connector-plugins?connectorsOnly=false',
      keyBy: byClass,
    },
    {
      name: 'GET /connector-plugins/{FileStreamSource}/config',
      method: 'GET',
      path: '/connector-plugins/org.apache.kafka.connect.file.FileStreamSourceConnector/config',
      keyBy: byName,
    },
    {
      name: 'GET /connector-plugins/{MaskField$Value}/config',
      method: 'GET',
      path: '/connector-plugins/org.apache.kafka.connect.transforms.MaskField$Value/config',
      keyBy: byName,
    },
    {
      name: 'PUT validate (good sink config, transform + predicate)',
      method: 'PUT',
      path: validate,
      body: { name: names.sink, ...sinkConfig },
      keyBy: byDefinitionName,
    },
    {
      name: 'PUT validate (bad: tasks.max=0, no topics)',
      method: 'PUT',
      path: validate,
      body: { name: names.sink, 'connector.class': sinkConfig['connector.class'], 'tasks.max': '0' },
      keyBy: byDefinitionName,
    },
    {
      name: 'POST /connectors (create)',
      method: 'POST',
      path: '/connectors',
      body: { name: names.connector, config: source },
    },
    {
      name: 'POST /connectors (again: conflict)',
      method: 'POST',
      path: '/connectors',
      body: { name: names.connector, config: source },
    },
    { name: 'GET /connectors', method: 'GET', path: '/connectors', after: 'RUNNING' },
    {
      name: 'GET /connectors?expand=status&expand=info',
      method: 'GET',
      path: '/connectors?expand=status&expand=info',
    },
    { name: 'GET /connectors/{c}', method: 'GET', path: c },
    { name: 'GET /connectors/{c}/config', method: 'GET', path: `${c}/config` },
    { name: 'GET /connectors/{c}/status', method: 'GET', path: `${c}/status` },
    { name: 'GET /connectors/{c}/tasks', method: 'GET', path: `${c}/tasks` },
    { name: 'GET /connectors/{c}/tasks/0/status', method: 'GET', path: `${c}/tasks/0/status` },
    { name: 'GET /connectors/{c}/tasks/9/status (unknown task)', method: 'GET', path: `${c}/tasks/9/status` },
    { name: 'PUT /connectors/{c}/pause', method: 'PUT', path: `${c}/pause` },
    { name: 'GET /connectors/{c}/status (paused)', method: 'GET', path: `${c}/status`, after: 'PAUSED' },
    { name: 'PUT /connectors/{c}/resume', method: 'PUT', path: `${c}/resume` },
    { name: 'GET /connectors/{c}/status (resumed)', method: 'GET', path: `${c}/status`, after: 'RUNNING' },
    { name: 'POST /connectors/{c}/restart', method: 'POST', path: `${c}/restart` },
    {
      name: 'POST /connectors/{c}/restart?includeTasks=true',
      method: 'POST',
      path: `${c}/restart?includeTasks=true&onlyFailed=false`,
      after: 'RUNNING',
    },
    {
      name: 'POST /connectors/{c}/tasks/0/restart',
      method: 'POST',
      path: `${c}/tasks/0/restart`,
      after: 'RUNNING',
    },
    {
      name: 'PATCH /connectors/{c}/offsets (running: refused)',
      method: 'PATCH',
      path: `${c}/offsets`,
      body: { offsets: [] },
      after: 'RUNNING',
    },
    { name: 'PUT /connectors/{c}/stop', method: 'PUT', path: `${c}/stop` },
    { name: 'GET /connectors/{c}/status (stopped)', method: 'GET', path: `${c}/status`, after: 'STOPPED' },
    { name: 'GET /connectors/{c}/tasks (stopped)', method: 'GET', path: `${c}/tasks` },
    { name: 'GET /connectors/{c}/offsets (stopped)', method: 'GET', path: `${c}/offsets` },
    {
      name: 'PATCH /connectors/{c}/offsets',
      method: 'PATCH',
      path: `${c}/offsets`,
      body: { offsets: [{ partition: { filename: names.file }, offset: { position: 7 } }] },
    },
    { name: 'GET /connectors/{c}/offsets (patched)', method: 'GET', path: `${c}/offsets` },
    { name: 'DELETE /connectors/{c}/offsets', method: 'DELETE', path: `${c}/offsets` },
    { name: 'GET /connectors/{c}/offsets (reset)', method: 'GET', path: `${c}/offsets` },
    { name: 'PUT /connectors/{c}/resume (from stopped)', method: 'PUT', path: `${c}/resume` },
    {
      name: 'PUT /connectors/{c}/config (update)',
      method: 'PUT',
      path: `${c}/config`,
      body: { ...source, 'batch.size': '100' },
      after: 'RUNNING',
    },
    {
      name: 'PATCH /connectors/{c}/config',
      method: 'PATCH',
      path: `${c}/config`,
      body: { 'batch.size': null, 'tasks.max': '1' },
    },
    { name: 'GET /connectors/{c}/topics', method: 'GET', path: `${c}/topics`, after: 'RUNNING' },
    { name: 'PUT /connectors/{c}/topics/reset (running: refused)', method: 'PUT', path: `${c}/topics/reset` },
    { name: 'DELETE /connectors/{c}', method: 'DELETE', path: c },
    { name: 'GET /connectors/{c} (deleted)', method: 'GET', path: c },
    { name: 'DELETE /connectors (wrong method)', method: 'DELETE', path: '/connectors' },
    { name: 'POST /connectors/{c}/status (wrong method)', method: 'POST', path: `${c}/status` },
    { name: 'GET /connectors/no-such/status', method: 'GET', path: '/connectors/no-such-connector/status' },
    { name: 'PUT /connectors/no-such/pause', method: 'PUT', path: '/connectors/no-such-connector/pause' },
    {
      name: 'POST /connectors (no connector.class)',
      method: 'POST',
      path: '/connectors',
      body: { name: names.sink, config: { topics: names.topic } },
    },
    {
      name: 'POST /connectors (unknown class)',
      method: 'POST',
      path: '/connectors',
      body: { name: names.sink, config: { 'connector.class': 'com.example.NoSuchConnector' } },
    },
    {
      name: 'POST /connectors (sink without topics)',
      method: 'POST',
      path: '/connectors',
      body: {
        name: names.sink,
        config: { 'connector.class': sinkConfig['connector.class'], file: `${names.file}.out` },
      },
    },
    { name: 'POST /connectors (malformed JSON)', method: 'POST', path: '/connectors', body: '{"name": ' },
    {
      name: 'PUT /connectors/{sink}/config (create, tasks.max=abc)',
      method: 'PUT',
      path: `/connectors/${names.sink}/config`,
      body: { ...sinkConfig, 'tasks.max': 'abc' },
    },
  ];
}

async function call(url: string, step: Step): Promise<Reply> {
  const init: RequestInit = {
    method: step.method,
    headers: { accept: 'application/json' },
    signal: AbortSignal.timeout(90_000),
  };
  if (step.body !== undefined) {
    init.body = typeof step.body === 'string' ? step.body : JSON.stringify(step.body);
    init.headers = { ...init.headers, 'content-type': 'application/json' };
  }
  const reply = await fetch(`${url}${step.path}`, init);
  const text = await reply.text();
  let body: unknown = text;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    // Not JSON (e.g. an HTML error page): compared as text.
  }
  return { status: reply.status, body };
}

async function settle(
  url: string,
  connector: string,
  state: 'RUNNING' | 'PAUSED' | 'STOPPED',
): Promise<void> {
  await until(`${connector} ${state}`, async () => {
    const reply = await call(url, { name: '', method: 'GET', path: `/connectors/${connector}/status` });
    const s = reply.body as { connector?: { state?: string }; tasks?: { state: string }[] };
    if (s.connector?.state !== state) return false;
    const tasks = s.tasks ?? [];
    return state === 'STOPPED'
      ? tasks.length === 0
      : tasks.length > 0 && tasks.every((t) => t.state === state);
  });
}

function keyed(body: unknown, keyBy: ((entry: unknown) => string) | undefined): unknown {
  if (keyBy === undefined) return body;
  const list = Array.isArray(body) ? body : (body as { configs?: unknown })?.configs;
  if (!Array.isArray(list)) return body;
  const map = Object.fromEntries(list.map((e: unknown) => [keyBy(e), e]));
  return Array.isArray(body) ? map : { ...(body as object), configs: map };
}

/** Drops from every `recommended_values` list the plugin classes only one side has installed. */
function commonRecommendations(value: unknown, keep: (entry: unknown) => boolean): unknown {
  if (Array.isArray(value)) return value.map((v) => commonRecommendations(v, keep));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      k === 'recommended_values' && Array.isArray(v) ? v.filter(keep) : commonRecommendations(v, keep),
    ]),
  );
}

export async function compareRest(classpath: string): Promise<Difference[]> {
  const tag = `${Date.now().toString(36)}${process.pid}`;
  const runs = await Promise.all(
    SIDES.map(async (side: Side) => {
      const dir = benchDir(`compat-rest-${side}`);
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const names = {
        connector: `compat-rest-${side}-${tag}`,
        sink: `compat-rest-sink-${side}-${tag}`,
        topic: `compat-rest-topic-${side}-${tag}`,
        file: join(dir, 'input.txt'),
      };
      writeFileSync(names.file, 'one\ntwo\nthree\n');
      const worker = writeWorkerFile(dir, port, {
        'offset.flush.interval.ms': '1000',
        // What Connect itself advises at start-up for these jars: a much faster plugin scan.
        ...(side === 'java' ? { 'plugin.discovery': 'service_load' } : {}),
      });
      const process: RunningSide = startStandalone(side, classpath, dir, [worker]);
      const replies: Reply[] = [];
      try {
        await waitForRest(process, url);
        for (const step of script(names)) {
          if (step.after !== undefined) await settle(url, names.connector, step.after);
          replies.push(await call(url, step));
        }
      } finally {
        await process.stop();
      }
      // Kept for a closer look at a difference: every answer as it came.
      writeFileSync(join(dir, 'replies.json'), JSON.stringify(replies, null, 2));
      // The installed versions: Kafka's and Debezium's on the Java side, Sluice's own on the other.
      const versions: [string, string][] =
        side === 'java'
          ? [
              ['3.6.1.Final', '<version>'],
              ['4.3.1', '<version>'],
            ]
          : [['0.1.0', '<version>']];
      const placeholders = new Map([
        ...versions,
        [names.connector, '<connector>'],
        [names.sink, '<sink>'],
        [names.topic, '<topic>'],
        [names.file, '<file>'],
        [dir, '<dir>'],
        [`127.0.0.1:${port}`, '<worker>'],
      ]);
      return { replies, steps: script(names), placeholders };
    }),
  );
  const [java, sluice] = runs as [(typeof runs)[0], (typeof runs)[0]];
  // Plugins one side has and the other has not are reported once, by the plugin listing; elsewhere
  // (recommended values) only the plugins both have are compared.
  const listing = java.steps.findIndex((s) => s.path === '/connector-plugins?connectorsOnly=false');
  const classes = (run: typeof java): Set<string> =>
    new Set((run.replies[listing]!.body as { class: string }[]).map((p) => p.class));
  const javaClasses = classes(java);
  const sluiceClasses = classes(sluice);
  const onBoth = (value: unknown): boolean =>
    typeof value !== 'string' ||
    !(javaClasses.has(value) || sluiceClasses.has(value)) ||
    (javaClasses.has(value) && sluiceClasses.has(value));
  const differences: Difference[] = [];
  java.steps.forEach((step, i) => {
    const normal = (run: typeof java): unknown => {
      const reply = run.replies[i]!;
      const body = commonRecommendations(keyed(reply.body, step.keyBy), onBoth);
      return maskKeys(replaceTexts({ status: reply.status, body }, run.placeholders), MASKED);
    };
    for (const d of diffJson(normal(java), normal(sluice)))
      differences.push({ area: 'rest', step: step.name, ...d });
  });
  return differences;
}
