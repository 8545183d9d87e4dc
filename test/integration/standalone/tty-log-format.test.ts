// The default log format as an operator meets it: run in a terminal (a pseudo-terminal made by
// script(1)), the worker prints coloured `time LEVEL [logger] message` lines; with its output piped to
// a file or a log shipper, the same worker prints JSON lines.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SLUICE_BIN, waitFor, WorkerProcess } from '../../support/worker-process.js';

const SCRIPT = '/usr/bin/script';
const ESC = String.fromCharCode(27);
const workers: WorkerProcess[] = [];
let terminal: ChildProcess | null = null;
let workerPid: number | null = null;

after(async () => {
  if (workerPid !== null) {
    try {
      process.kill(workerPid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  terminal?.kill('SIGKILL');
  for (const w of workers) await w.dispose();
});

const shellQuote = (s: string): string => `'${s.replaceAll("'", "'\\''")}'`;

test(
  'on a terminal: coloured human-readable lines',
  { skip: !existsSync(SCRIPT) && `${SCRIPT} is not installed` },
  async () => {
    const worker = await WorkerProcess.create();
    workers.push(worker);
    const pidFile = join(worker.dir, 'worker.pid');
    // The shell records its pid, then becomes the worker (exec), so the test can stop exactly that process.
    const command = `echo $$ > ${shellQuote(pidFile)}; exec ${shellQuote(process.execPath)} ${shellQuote(SLUICE_BIN)} standalone ${shellQuote(worker.workerFile)}`;
    const env = { ...process.env };
    delete env['SLUICE_LOG_FORMAT'];
    terminal = spawn(SCRIPT, ['-qec', command, '/dev/null'], {
      cwd: worker.dir,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    terminal.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    terminal.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    await waitFor(async () => (await worker.rest('GET', '/')).status === 200, 30_000, 'REST under script(1)');
    workerPid = Number((await readFile(pidFile, 'utf8')).trim());
    await waitFor(() => /REST API|listening|started/i.test(output), 10_000, 'a startup line');

    const lines = output.split(/\r?\n/).filter((l) => l.trim() !== '');
    assert.ok(lines.length > 0);
    assert.ok(
      lines.every((l) => !l.startsWith('{')),
      `no JSON line on a terminal:\n${lines.slice(0, 5).join('\n')}`,
    );
    // time, the level in its colour (INFO green) and reset, then the logger in brackets and the message.
    assert.ok(
      lines.some((l) =>
        new RegExp(
          `^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z ${ESC}\\[32mINFO ${ESC}\\[0m \\[[a-z.]+\\] \\S`,
        ).test(l),
      ),
      `a coloured INFO line:\n${JSON.stringify(lines.slice(0, 5))}`,
    );

    process.kill(workerPid, 'SIGTERM');
    const exit = await new Promise<number | null>((resolve) => terminal!.on('exit', (code) => resolve(code)));
    workerPid = null;
    assert.equal(exit, 0, 'the worker stopped cleanly on SIGTERM');
  },
);

test('without a terminal: JSON lines, the shutdown notice and the final stopped line included', async () => {
  const worker = await WorkerProcess.start({ env: { SLUICE_LOG_FORMAT: '' } });
  workers.push(worker);
  await worker.terminate();
  const lines = worker.output.split('\n').filter((l) => l.trim() !== '');
  assert.ok(lines.length > 0);
  for (const line of lines) {
    const entry = JSON.parse(line) as { level?: unknown; time?: unknown; msg?: unknown };
    assert.equal(typeof entry.level, 'number', line);
    assert.equal(typeof entry.time, 'number', line);
    assert.equal(typeof entry.msg, 'string', line);
  }
  const messages = lines.map((l) => (JSON.parse(l) as { msg: string }).msg);
  assert.ok(
    messages.includes('SIGTERM received, stopping (send it again to exit at once)'),
    'the shutdown notice',
  );
  assert.equal(messages.at(-1), 'stopped', 'the last line says the worker stopped');
});
