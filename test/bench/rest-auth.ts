/**
 * rest-auth: what REST authentication adds to a call. Four standalone workers on plain http (so TLS is not
 * part of the difference), each with the same stopped connector: rest.auth=none, basic (scrypt hash; a
 * verified password is cached for 60 s), token (SHA-256 of an opaque token) and jwt (ES256 signature
 * check on every call); the three with auth also have a tenants file, and the caller is a tenant operator,
 * so the tenant checks and answer filtering are in the measurement. Rounds alternate between the workers
 * so they share whatever else the machine does; each request goes over a kept-alive connection.
 * Prints p50/p99 of GET /connectors/{name}/status and of GET /connectors per mode. See docs/benchmarks.md.
 */
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { hashPassword } from '../../runtime/security/password-hash.js';
import { hashToken, newToken } from '../../runtime/security/token-authenticator.js';
import { collectStderr, freePort, sleep, SLUICE_BIN, spawnNode, terminate } from './support/child-process.js';
import { RUN_ID } from './support/kafka-admin.js';
import { printResult, roundTo } from './support/results.js';
import { benchDir, writeConnectorFile, writeWorkerFile } from './support/worker-files.js';

const ROUNDS = 40;
const PER_ROUND = 25;
const TENANT = 'bench';
const CONNECTOR = `${TENANT}.auth-datagen`;

interface Mode {
  readonly name: string;
  readonly properties: Record<string, string>;
  readonly authorization: string | null;
}

async function modes(dir: string): Promise<Mode[]> {
  const tenants = join(dir, 'tenants.json');
  writeFileSync(
    tenants,
    JSON.stringify({
      principals: { alice: { tenant: TENANT, role: 'operator' } },
      tenants: { [TENANT]: { plugins: ['DatagenSource'] } },
    }),
  );
  const users = join(dir, 'users');
  writeFileSync(users, `alice:${hashPassword('alice-password')}\n`);
  const token = newToken();
  const tokens = join(dir, 'tokens');
  writeFileSync(tokens, `alice:${hashToken(token)}\n`);
  const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const publicKey = join(dir, 'jwt-public.pem');
  writeFileSync(publicKey, keys.publicKey.export({ type: 'spki', format: 'pem' }));
  const jwt = await new SignJWT({ sub: 'alice' })
    .setProtectedHeader({ alg: 'ES256' })
    .setIssuer('bench')
    .setAudience('sluice')
    .setExpirationTime('1h')
    .sign(keys.privateKey);
  return [
    { name: 'none', properties: {}, authorization: null },
    {
      name: 'basic',
      properties: { 'rest.auth': 'basic', 'rest.auth.basic.users.file': users, 'tenants.file': tenants },
      authorization: `Basic ${Buffer.from('alice:alice-password').toString('base64')}`,
    },
    {
      name: 'token',
      properties: { 'rest.auth': 'token', 'rest.auth.token.file': tokens, 'tenants.file': tenants },
      authorization: `Bearer ${token}`,
    },
    {
      name: 'jwt',
      properties: {
        'rest.auth': 'jwt',
        'rest.auth.jwt.public.key.file': publicKey,
        'rest.auth.jwt.issuer': 'bench',
        'rest.auth.jwt.audience': 'sluice',
        'tenants.file': tenants,
      },
      authorization: `Bearer ${jwt}`,
    },
  ];
}

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function timed(url: string, authorization: string | null): Promise<number> {
  const start = process.hrtime.bigint();
  const response = await fetch(url, authorization === null ? {} : { headers: { authorization } });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`${url}: ${response.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const dir = benchDir('rest-auth');
const all = await modes(dir);
const workers = await Promise.all(
  all.map(async (mode) => {
    const own = benchDir(`rest-auth-${mode.name}`);
    const port = await freePort();
    const workerFile = writeWorkerFile(own, port, mode.properties);
    const connectorFile = writeConnectorFile(own, CONNECTOR, {
      'connector.class': 'DatagenSource',
      'kafka.topic': `${TENANT}.auth-${RUN_ID}`,
      'max.records': '1',
    });
    const child = spawnNode(SLUICE_BIN, ['standalone', workerFile, connectorFile]);
    return { mode, port, child, stderr: collectStderr(child), status: [] as number[], list: [] as number[] };
  }),
);
try {
  for (const w of workers) {
    const started = Date.now();
    for (;;) {
      try {
        await timed(`http://127.0.0.1:${w.port}/connectors/${CONNECTOR}/status`, w.mode.authorization);
        break;
      } catch (error) {
        if (w.child.exitCode !== null) throw new Error(`worker ${w.mode.name} exited: ${w.stderr()}`);
        if (Date.now() - started > 60_000)
          throw new Error(`worker ${w.mode.name} not ready: ${String(error)}`);
        await sleep(200);
      }
    }
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const w of workers) {
      for (let i = 0; i < PER_ROUND; i++) {
        w.status.push(
          await timed(`http://127.0.0.1:${w.port}/connectors/${CONNECTOR}/status`, w.mode.authorization),
        );
        w.list.push(await timed(`http://127.0.0.1:${w.port}/connectors?expand=status`, w.mode.authorization));
      }
    }
  }
  const none = workers[0]!;
  const p50 = (values: number[]): number =>
    percentile(
      [...values].sort((a, b) => a - b),
      50,
    );
  for (const w of workers) {
    printResult({
      name: `rest-auth-${w.mode.name}`,
      requests: w.status.length + w.list.length,
      statusP50Ms: roundTo(p50(w.status), 3),
      statusP99Ms: roundTo(
        percentile(
          [...w.status].sort((a, b) => a - b),
          99,
        ),
        3,
      ),
      listP50Ms: roundTo(p50(w.list), 3),
      listP99Ms: roundTo(
        percentile(
          [...w.list].sort((a, b) => a - b),
          99,
        ),
        3,
      ),
      statusP50ExtraMs: roundTo(p50(w.status) - p50(none.status), 3),
      listP50ExtraMs: roundTo(p50(w.list) - p50(none.list), 3),
    });
  }
} finally {
  await Promise.all(workers.map((w) => terminate(w.child)));
}
