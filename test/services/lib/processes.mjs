// Background processes the scripts own: spawned detached, remembered in a pid file,
// recognised by a marker on their command line so a recycled pid is never mistaken for ours.
import process from 'node:process';
import { Buffer } from 'node:buffer';
import { setTimeout } from 'node:timers';
import { spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { connect } from 'node:net';
import { dirname } from 'node:path';

// Written before each start, so an error shows only what the latest start logged.
const BANNER = 'started by scripts/services.mjs';

/** The -D option every JVM we start carries; `ownedPid` looks for it. */
export const markerOption = (name) => `-Dsluice.service=${name}`;

export function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

function commandLine(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return undefined; // no procfs (macOS): trust the pid file
  }
}

/** The pid in the pid file if that process is alive and is our service; removes stale files. */
export function ownedPid(name, file) {
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  const cmd = Number.isInteger(pid) && pid > 0 && isAlive(pid) ? commandLine(pid) : null;
  if (cmd === null || (cmd !== undefined && !cmd.includes(markerOption(name)))) {
    rmSync(file, { force: true });
    return undefined;
  }
  return pid;
}

/**
 * Claims the right to start a service, so two `up` runs at once (parallel test runs) never
 * start it twice. Returns a release function, or undefined while another live `up` holds it.
 */
export function claimStart(lockPath) {
  mkdirSync(dirname(lockPath), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lockPath, `${process.pid}\n`, { flag: 'wx' });
      return () => rmSync(lockPath, { force: true });
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(lockPath, 'utf8').trim());
      // An empty file is a claim being written right now.
      if (!holder || isAlive(holder)) return undefined;
      rmSync(lockPath, { force: true }); // left behind by an `up` that died
    }
  }
  return undefined;
}

/** Starts `command` detached from this process, output appended to logPath; returns the pid. */
export function spawnDetached({ command, args, cwd, logPath, pidPath, env }) {
  mkdirSync(dirname(logPath), { recursive: true });
  const log = openSync(logPath, 'a');
  writeSync(log, `\n===== ${new Date().toISOString()} ${BANNER}\n`);
  try {
    const child = spawn(command, args, {
      cwd,
      detached: true,
      stdio: ['ignore', log, log],
      env: { ...process.env, ...env },
    });
    child.on('error', () => {}); // reported by the caller through the dead pid and the log
    child.unref();
    if (child.pid === undefined) throw new Error(`could not start ${command}`);
    writeFileSync(pidPath, `${child.pid}\n`);
    return child.pid;
  } finally {
    closeSync(log);
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** SIGTERM, then SIGKILL after graceMs; resolves once the process is gone. */
export async function stopProcess(pid, graceMs) {
  if (!isAlive(pid)) return 'already stopped';
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return 'stopped';
    await sleep(200);
  }
  process.kill(pid, 'SIGKILL');
  while (isAlive(pid)) await sleep(100);
  return `killed after ${Math.round(graceMs / 1000)}s`;
}

/** True when something accepts TCP connections on host:port. */
export function portAcceptsConnections(host, port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (open) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** The last `lines` lines the latest start wrote to a log file, for error messages. */
export function logTail(path, lines = 30) {
  if (!existsSync(path)) return '(no log file yet)';
  const text = readFileSync(path, 'utf8');
  const latestStart = text.lastIndexOf(BANNER);
  const latest = latestStart < 0 ? text : text.slice(text.indexOf('\n', latestStart) + 1);
  return latest.trimEnd().split('\n').slice(-lines).join('\n') || '(the process wrote nothing)';
}

/**
 * Runs a command to completion without blocking the event loop (other services keep
 * starting meanwhile). Resolves { status, output }; `missing` is true when it is not installed.
 */
export function runCommand(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks = [];
    child.stdout.on('data', (c) => chunks.push(c));
    child.stderr.on('data', (c) => chunks.push(c));
    child.once('error', (error) =>
      resolve({ status: null, output: error.message, missing: error.code === 'ENOENT' }),
    );
    child.once('close', (status) =>
      resolve({ status, output: Buffer.concat(chunks).toString('utf8').trim(), missing: false }),
    );
  });
}
