// Redis is installed by the machine; we check it answers PING and start it only if it is down.
import { URL } from 'node:url';
import { Buffer } from 'node:buffer';
import { mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { REDIS_URL, isLocalHost, urlHostPort } from './endpoints.mjs';
import { logFile, pidFile, serviceStateDir } from './paths.mjs';
import { runCommand } from './processes.mjs';

const encode = (args) =>
  `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;

// Reads one RESP reply: +simple, -error, or $bulk (enough for PING, AUTH and INFO).
function parseReply(buffer) {
  const text = buffer.toString('utf8');
  const lineEnd = text.indexOf('\r\n');
  if (lineEnd < 0) return undefined;
  const head = text.slice(0, lineEnd);
  if (head.startsWith('+')) return { rest: buffer.subarray(lineEnd + 2), value: head.slice(1) };
  if (head.startsWith('-')) return { rest: buffer.subarray(lineEnd + 2), error: head.slice(1) };
  if (head.startsWith('$')) {
    const length = Number(head.slice(1));
    const body = buffer.subarray(Buffer.byteLength(head) + 2);
    if (body.length < length + 2) return undefined;
    return { rest: body.subarray(length + 2), value: body.subarray(0, length).toString('utf8') };
  }
  return { rest: Buffer.alloc(0), error: `unexpected reply ${JSON.stringify(head)}` };
}

/** Sends commands over one socket; resolves with the last reply's value. */
function redisCommands(url, commands, timeoutMs = 3000) {
  const { host, port } = urlHostPort(url, 6379);
  const password = decodeURIComponent(new URL(url).password);
  const all = password ? [['AUTH', password], ...commands] : commands;
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let pending = Buffer.alloc(0);
    const replies = [];
    const fail = (error) => {
      socket.destroy();
      reject(error);
    };
    socket.setTimeout(timeoutMs, () => fail(new Error(`no reply within ${timeoutMs} ms`)));
    socket.once('error', fail);
    socket.once('connect', () => socket.write(all.map(encode).join('')));
    socket.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      for (let reply = parseReply(pending); reply; reply = parseReply(pending)) {
        pending = reply.rest;
        if (reply.error) return fail(new Error(reply.error));
        replies.push(reply.value);
      }
      if (replies.length === all.length) {
        socket.end();
        resolve(replies.at(-1));
      }
    });
  });
}

export function redisService({ url = REDIS_URL } = {}) {
  const name = 'redis';
  const { host, port } = urlHostPort(url, 6379);
  return {
    name,
    address: `${host}:${port}`,
    host,
    ports: [{ port, what: 'Redis port' }],
    timeoutMs: 15_000,
    async probe() {
      const reply = await redisCommands(url, [['PING']]);
      if (reply !== 'PONG') throw new Error(`PING answered ${JSON.stringify(reply)}`);
      return 'PING answered PONG';
    },
    /** Starts a redis-server of our own when none answers (never stopped by `down`). */
    async start() {
      if (!isLocalHost(host))
        throw new Error(`Redis at ${host}:${port} is not on this machine; start it there`);
      const dir = serviceStateDir(name);
      mkdirSync(dir, { recursive: true });
      const args = ['--port', String(port), '--bind', host, '--daemonize', 'yes', '--dir', dir];
      args.push('--pidfile', pidFile(name), '--logfile', logFile(name), '--save', '', '--appendonly', 'no');
      const result = await runCommand('redis-server', args);
      if (result.missing) throw new Error('redis-server was not found: install Redis or start it yourself');
      if (result.status !== 0) throw new Error(`redis-server failed: ${result.output}`);
    },
    async pid() {
      const info = await redisCommands(url, [['INFO', 'server']]);
      const match = /process_id:(\d+)/.exec(info);
      return match ? Number(match[1]) : undefined;
    },
  };
}
