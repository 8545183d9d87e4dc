// up / down / status for the test services. JVM services (those with a jarModule) are started
// and stopped by us; PostgreSQL and Redis belong to the machine and are only started when down.
import console from 'node:console';
import { clearTimeout, setTimeout } from 'node:timers';
import { rmSync } from 'node:fs';
import { logFile, pidFile, startLockFile } from './paths.mjs';
import {
  claimStart,
  isAlive,
  logTail,
  ownedPid,
  portAcceptsConnections,
  spawnDetached,
  stopProcess,
} from './processes.mjs';
import { ensureChromium } from './chromium.mjs';
import { ensureJars, requireJava } from './programs.mjs';

const PROBE_TIMEOUT_MS = 10_000;
const POLL_MS = 750;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)}s`;

/** Runs the service's real request; never throws, never hangs. */
async function probe(service) {
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(
      () => resolve({ ok: false, reason: `no answer within ${PROBE_TIMEOUT_MS / 1000}s` }),
      PROBE_TIMEOUT_MS,
    );
  });
  const attempt = service.probe().then(
    (info) => ({ ok: true, info }),
    (error) => ({ ok: false, reason: error?.message || String(error), outdated: error?.outdated === true }),
  );
  try {
    return await Promise.race([attempt, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function failure(service, reason, { withLog = true } = {}) {
  const log = logFile(service.name);
  const tail = withLog ? `\n--- last lines of ${log} ---\n${logTail(log)}\n---` : '';
  return new Error(
    `${service.name} (${service.address}): ${reason}${withLog ? `\nread the log: ${log}` : ''}${tail}`,
  );
}

/** Polls until the service answers; fails early if `pid` dies, and at the service's timeout. */
async function waitUntilAnswers(service, pid) {
  const deadline = Date.now() + service.timeoutMs;
  let last = { ok: false, reason: 'not probed yet' };
  while (Date.now() < deadline) {
    last = await probe(service);
    if (last.ok) return last;
    if (pid !== undefined && !isAlive(pid)) {
      throw failure(service, `the process (pid ${pid}) exited before answering; last probe: ${last.reason}`);
    }
    await sleep(POLL_MS);
  }
  if (pid !== undefined) await stopProcess(pid, 5_000); // a half-started JVM would block the next `up`
  const stopped = pid !== undefined ? ` (stopped pid ${pid} so the next "up" starts clean)` : '';
  throw failure(
    service,
    `did not answer within ${service.timeoutMs / 1000}s${stopped}; last probe: ${last.reason}`,
    {
      withLog: service.jarModule !== undefined,
    },
  );
}

async function takenPorts(service) {
  const taken = [];
  for (const { port, what } of service.ports) {
    if (await portAcceptsConnections(service.host, port)) taken.push(`${port} (${what})`);
  }
  return taken;
}

async function startJvm(service, { reason, outdated }) {
  const release = claimStart(startLockFile(service.name));
  if (release === undefined) {
    const answer = await waitUntilAnswers(service);
    return {
      pid: ownedPid(service.name, pidFile(service.name)),
      how: 'started by another "up"',
      info: answer.info,
    };
  }
  try {
    return await startJvmOnce(service, reason, outdated);
  } finally {
    release();
  }
}

async function startJvmOnce(service, reason, outdated) {
  const pidPath = pidFile(service.name);
  let running = ownedPid(service.name, pidPath);
  if (running !== undefined && outdated) {
    // An older checkout's configuration (e.g. a Kafka without the secured listeners): start it anew.
    console.log(`${service.name}: restarting pid ${running}, ${reason}`);
    await stopProcess(running, service.stopGraceMs);
    rmSync(pidPath, { force: true });
    running = undefined;
  }
  if (running !== undefined) {
    // Ours and alive but not answering yet: another `up` started it, or it is recovering.
    const answer = await waitUntilAnswers(service, running);
    return { pid: running, how: 'was already starting', info: answer.info };
  }
  const taken = await takenPorts(service);
  if (taken.length > 0) {
    throw failure(
      service,
      `port ${taken.join(', ')} is taken by something that is not our ${service.name} (it does not answer: ${reason})`,
      {
        withLog: false,
      },
    );
  }
  await service.prepare();
  const { command, args } = service.command();
  const pid = spawnDetached({ command, args, logPath: logFile(service.name), pidPath });
  await service.afterStart?.();
  const answer = await waitUntilAnswers(service, pid);
  return { pid, how: 'started', info: answer.info };
}

async function startSystemService(service, reason) {
  if ((await takenPorts(service)).length > 0) {
    // Something listens: give a starting server a moment, then name the port.
    const grace = { ...service, timeoutMs: Math.min(service.timeoutMs, 10_000) };
    return waitUntilAnswers(grace).catch(() => {
      throw failure(
        service,
        `port ${service.ports[0].port} is taken by something that does not answer as ${service.name}: ${reason}`,
        {
          withLog: false,
        },
      );
    });
  }
  await service.start();
  return waitUntilAnswers(service);
}

async function bringUp(service) {
  const since = Date.now();
  let answer = await probe(service);
  let how = 'already up';
  let pid;
  if (!answer.ok) {
    if (service.jarModule) ({ pid, how, info: answer.info } = { ...(await startJvm(service, answer)) });
    else {
      answer = await startSystemService(service, answer.reason);
      how = 'started';
    }
  }
  const configured = service.configure ? await service.configure() : undefined;
  if (configured) {
    answer = await waitUntilAnswers(service);
    how = configured;
  }
  pid ??= service.jarModule
    ? ownedPid(service.name, pidFile(service.name))
    : await service.pid?.().catch(() => undefined);
  return { service, pid, line: `${how} in ${seconds(since)}: ${answer.info}` };
}

const row = (service, state, pid, detail) =>
  `${service.name.padEnd(10)} ${state.padEnd(5)} ${service.address.padEnd(24)} ${(pid ? `pid ${pid}` : '-').padEnd(10)} ${detail}`;

/** Brings every service up concurrently; rejects with one message per failed service. */
export async function up(services) {
  const since = Date.now();
  const initial = await Promise.all(services.map(probe));
  const toStart = services.filter((s, i) => s.jarModule && !initial[i].ok);
  // The Kafka jars are also the tests' Java client (test/support/java-kafka-client.ts), so this checkout
  // needs them even when another checkout's Kafka is the one running.
  const jarModules = [
    ...toStart.map((s) => s.jarModule),
    ...services.filter((s) => s.jarModule === 'kafka').map((s) => s.jarModule),
  ];
  if (jarModules.length > 0) {
    requireJava();
    ensureJars(jarModules);
  }
  ensureChromium();
  const results = await Promise.allSettled(services.map(bringUp));
  const failures = [];
  results.forEach((result, i) => {
    if (result.status === 'fulfilled')
      console.log(row(services[i], 'up', result.value.pid, result.value.line));
    else {
      console.log(row(services[i], 'FAIL', undefined, 'see below'));
      failures.push(result.reason.message);
    }
  });
  if (failures.length > 0) throw new Error(failures.join('\n\n'));
  console.log(`${services.length} service(s) up in ${seconds(since)}`);
}

/** Stops the JVM services we started; PostgreSQL and Redis stay up for everyone else. */
export async function down(services) {
  await Promise.all(
    services.map(async (service) => {
      if (!service.jarModule)
        return console.log(row(service, '-', undefined, 'left running (managed by the machine)'));
      const pidPath = pidFile(service.name);
      const pid = ownedPid(service.name, pidPath);
      if (pid === undefined) {
        const answering = (await probe(service)).ok;
        return console.log(
          row(
            service,
            'down',
            undefined,
            answering ? 'answering, but not started by us: left alone' : 'not running',
          ),
        );
      }
      const how = await stopProcess(pid, service.stopGraceMs);
      rmSync(pidPath, { force: true });
      console.log(row(service, 'down', pid, how));
    }),
  );
}

/** One line per service; resolves true when all are up. */
export async function status(services) {
  const answers = await Promise.all(services.map(probe));
  const lines = await Promise.all(
    services.map(async (service, i) => {
      const pid = service.jarModule
        ? ownedPid(service.name, pidFile(service.name))
        : answers[i].ok
          ? await service.pid?.().catch(() => undefined)
          : undefined;
      if (answers[i].ok) return row(service, 'up', pid, answers[i].info);
      return row(
        service,
        pid ? 'start' : 'down',
        pid,
        pid ? `process alive, not answering yet: ${answers[i].reason}` : answers[i].reason,
      );
    }),
  );
  for (const line of lines) console.log(line);
  return answers.every((a) => a.ok);
}
