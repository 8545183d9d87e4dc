import { SluiceError } from '../runtime/errors/sluice-error.js';
import { startStandalone } from './standalone.js';
import { SLUICE_VERSION } from './version.js';

const HELP = `Sluice ${SLUICE_VERSION} — a Kafka Connect-compatible connector platform

Usage:
  sluice standalone <worker.properties> [connector.properties|connector.json ...]
      Run one worker; connectors and offsets are kept in local files.
  sluice distributed <worker.properties>
      Run a worker of a cluster coordinated through Kafka (not available yet).
  sluice mirror <mm2.properties> [--clusters A,B]
      Run MirrorMaker 2-style replication (not available yet).
  sluice --help | --version

The worker's REST API follows Kafka Connect's (default http://127.0.0.1:8083).
SIGTERM or Ctrl-C stops tasks, commits their offsets and exits 0.
`;

function fail(message: string, code = 1): never {
  process.stderr.write(`sluice: ${message}\n`);
  process.exit(code);
}

async function runStandalone(args: readonly string[]): Promise<void> {
  const [workerFile, ...connectorFiles] = args;
  if (workerFile === undefined) fail('standalone needs a worker properties file\n\n' + HELP, 2);
  const running = await startStandalone(workerFile, connectorFiles);
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`sluice: ${signal} received, stopping\n`);
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => fail(`error while stopping: ${String(error)}`),
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
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
    case 'distributed':
    case 'mirror':
      fail(`'${command}' mode is not available in this version; use 'sluice standalone'`, 2);
      break;
    default:
      fail(`unknown command '${command}'\n\n${HELP}`, 2);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof SluiceError) fail(error.message);
  const errno = error as NodeJS.ErrnoException & { address?: string; port?: number };
  if (errno.code === 'EADDRINUSE') {
    fail(`the REST address ${errno.address ?? ''}:${errno.port ?? ''} is already in use: another worker runs there, or change 'listeners'`);
  }
  fail(error instanceof Error ? (error.stack ?? error.message) : String(error));
});
