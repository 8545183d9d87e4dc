import type { Logger } from '../runtime/api/logger.js';
import { SluiceError } from '../runtime/errors/sluice-error.js';
import { SLUICE_VERSION } from './version.js';

const HELP = `Sluice ${SLUICE_VERSION} — a Kafka Connect-compatible connector platform

Usage:
  sluice standalone <worker.properties> [connector.properties|connector.json ...]
      Run one worker; connectors and offsets are kept in local files.
  sluice distributed <worker.properties>
      Run a worker of a cluster coordinated through Kafka (docs/distributed.md).
  sluice mirror <mm2.properties> [--clusters B[,C]]
      Run MirrorMaker 2-style replication (dedicated mode: one distributed worker per enabled
      flow, its state in Kafka on the target cluster; run it on several machines to share flows).
  sluice connectors|plugins|status|jobs|logs|completion ...
      Manage a running cluster over its REST API (sluice connectors --help lists the commands).
  sluice hash-password <user>
      Read a password from stdin, print user:<scrypt hash> for rest.auth.basic.users.file.
  sluice new-token <principal>
      Make a bearer token (printed on stderr) and print principal:<sha256 hash> for rest.auth.token.file.
  sluice --help | --version

The worker's REST API follows Kafka Connect's (default http://127.0.0.1:8083).
SIGTERM or Ctrl-C stops tasks, commits their offsets and exits 0.
`;

function fail(message: string, code = 1): never {
  process.stderr.write(`sluice: ${message}\n`);
  process.exit(code);
}

/**
 * Stops the running worker on SIGTERM or SIGINT, saying so in its log (its format: JSON lines for a log
 * shipper, text on a terminal); the worker's own last line is "stopped". A second signal exits at once.
 */
function stopOnSignals(running: { stop(): Promise<void>; readonly logger?: Logger }): void {
  let stopping = false;
  const notice = (message: string): void => {
    if (running.logger === undefined) process.stderr.write(`sluice: ${message}\n`);
    else running.logger.info(message);
  };
  const shutdown = (signal: string): void => {
    if (stopping) {
      // An operator who presses Ctrl-C twice wants out now; offsets not yet committed are re-read on restart.
      notice(`second ${signal}, exiting without waiting for tasks`);
      process.exit(130);
    }
    stopping = true;
    notice(`${signal} received, stopping (send it again to exit at once)`);
    running.stop().then(
      () => {
        if (running.logger === undefined) notice('stopped');
        process.exit(0);
      },
      (error: unknown) => fail(`error while stopping: ${String(error)}`),
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

async function runStandalone(args: readonly string[]): Promise<void> {
  const [workerFile, ...connectorFiles] = args;
  if (workerFile === undefined) fail('standalone needs a worker properties file\n\n' + HELP, 2);
  // Each mode loads only its own modules (and --help/--version load none): a faster start.
  const { startStandalone } = await import('./standalone.js');
  stopOnSignals(await startStandalone(workerFile, connectorFiles));
}

async function runDistributed(args: readonly string[]): Promise<void> {
  const [workerFile, ...extra] = args;
  if (workerFile === undefined) fail('distributed needs a worker properties file\n\n' + HELP, 2);
  if (extra.length > 0) fail('distributed takes no connector files: create connectors over REST', 2);
  const { startDistributed } = await import('./distributed.js');
  stopOnSignals(await startDistributed(workerFile));
}

async function runMirror(args: readonly string[]): Promise<void> {
  const [file, ...options] = args;
  if (file === undefined) fail('mirror needs an mm2.properties file\n\n' + HELP, 2);
  let targets: string[] | null = null;
  for (let i = 0; i < options.length; i++) {
    if (options[i] === '--clusters')
      targets = (options[++i] ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
    else fail(`unknown mirror option '${options[i]}'`, 2);
  }
  const { startMirrorMaker } = await import('./mirror.js');
  const workers = await startMirrorMaker(file, targets);
  stopOnSignals({
    stop: async () => void (await Promise.all(workers.map((w) => w.stop()))),
    ...(workers[0] === undefined ? {} : { logger: workers[0].logger }),
  });
}

async function runCredentials(command: string, args: readonly string[]): Promise<void> {
  const [name, ...extra] = args;
  if (name === undefined || name.includes(':') || extra.length > 0)
    fail(`${command} takes one name (without ':')\n\n${HELP}`, 2);
  const { printNewToken, printPasswordHash } = await import('./credentials.js');
  if (command === 'new-token') printNewToken(name);
  else await printPasswordHash(name);
}

export async function main(argv: readonly string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(HELP);
      return;
    case '-v':
    case '--version':
      process.stdout.write(`${SLUICE_VERSION}\n`);
      return;
    case 'standalone':
      return runStandalone(rest);
    case 'mirror':
      return runMirror(rest);
    case 'distributed':
      return runDistributed(rest);
    case 'connectors':
    case 'plugins':
    case 'status':
    case 'jobs':
    case 'logs':
    case 'completion': {
      const { runOperatorCommand } = await import('./commands/operator.js');
      process.exitCode = await runOperatorCommand(command, rest);
      return;
    }
    case 'hash-password':
    case 'new-token':
      return runCredentials(command, rest);
    default:
      fail(`unknown command '${command}'\n\n${HELP}`, 2);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  // The code names the cause for scripts and supervisors (e.g. WORKER_STARTUP_TIMEOUT, docs/errors.md).
  if (error instanceof SluiceError) fail(`${error.message} [${error.code}]`);
  const errno = error as NodeJS.ErrnoException & { address?: string; port?: number };
  if (errno.code === 'EADDRINUSE') {
    fail(
      `the REST address ${errno.address ?? ''}:${errno.port ?? ''} is already in use: another worker runs there, or change 'listeners'`,
    );
  }
  fail(error instanceof Error ? (error.stack ?? error.message) : String(error));
});
