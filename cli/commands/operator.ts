import { parseArgs } from 'node:util';
import { SluiceError } from '../../runtime/errors/sluice-error.js';
import { type CommandContext, UsageError } from './command-context.js';
import { completionScript } from './completion.js';
import { connectorCommands } from './connectors.js';
import { JobDidNotComplete, jobCommands } from './jobs.js';
import { OUTPUT_FORMATS, type OutputFormat, render } from './output.js';
import { logs } from './logs.js';
import { pluginCommands } from './plugins.js';
import { DEFAULT_WORKER_URL, RestClient, WorkerRefusal } from './rest-client.js';
import { status } from './status.js';

/** Exit codes scripts can rely on (README "Operator CLI"). */
export const EXIT = { ok: 0, refused: 1, usage: 2, unreachable: 3 } as const;

export const OPERATOR_HELP = `Operator commands (talk to a running worker over its REST API):
  sluice connectors list
  sluice connectors describe NAME
  sluice connectors apply -f FILE|DIRECTORY [--dry-run]   create or update from .json/.properties files
  sluice connectors patch NAME KEY=VALUE... [--unset KEY]
  sluice connectors pause|resume|stop|delete NAME
  sluice connectors restart NAME [--failed]
  sluice connectors offsets get|reset NAME
  sluice connectors offsets alter NAME -f OFFSETS.json
  sluice plugins list [--all]
  sluice plugins describe CLASS
  sluice status                      connectors and tasks: state, worker, sink lag
  sluice jobs start TYPE FILE        queue a job (backfill, replay, rewind) from a .json/.properties config
  sluice jobs list
  sluice jobs watch ID [--interval S]  follow a job: a live bar on a terminal, plain lines otherwise
  sluice jobs describe|cancel|retry ID
  sluice logs NAME [-n LINES] [--follow]   the connector's and its tasks' recent log lines
  sluice completion bash|zsh         shell completion script

Options: --url URL (or SLUICE_URL; default ${DEFAULT_WORKER_URL}), -o table|json|yaml
Exit codes: 0 done, 1 the worker refused, a config is invalid or a watched job failed or was cancelled,
2 usage error, 3 worker unreachable.
`;

type Handler = (ctx: CommandContext) => Promise<void>;

function handlerFor(group: string, positionals: string[]): { handler: Handler; args: string[] } {
  if (group === 'status') return { handler: status, args: positionals };
  if (group === 'logs') return { handler: logs, args: positionals };
  const table =
    group === 'connectors'
      ? connectorCommands
      : group === 'plugins'
        ? pluginCommands
        : group === 'jobs'
          ? jobCommands
          : undefined;
  const [verb, ...args] = positionals;
  const handler = table === undefined || verb === undefined ? undefined : table[verb];
  if (handler === undefined)
    throw new UsageError(
      verb === undefined ? `${group} needs a command` : `unknown command '${group} ${verb}'`,
    );
  return { handler, args };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      url: { type: 'string' },
      output: { type: 'string', short: 'o' },
      file: { type: 'string', short: 'f' },
      failed: { type: 'boolean' },
      all: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      unset: { type: 'string', multiple: true },
      interval: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      follow: { type: 'boolean' },
      lines: { type: 'string', short: 'n' },
    },
  });
}

/** Runs `sluice <group> ...` and answers the process exit code; never throws. */
export async function runOperatorCommand(group: string, argv: readonly string[]): Promise<number> {
  const out = (s: string): boolean => process.stdout.write(s);
  const err = (s: string): boolean => process.stderr.write(s);
  try {
    if (group === 'completion') {
      const shell = argv[0];
      if (shell !== 'bash' && shell !== 'zsh') throw new UsageError('completion needs bash or zsh');
      out(completionScript(shell));
      return EXIT.ok;
    }
    let parsed: ReturnType<typeof parse>;
    try {
      parsed = parse(argv);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    if (parsed.values.help === true) {
      out(OPERATOR_HELP);
      return EXIT.ok;
    }
    const format = (parsed.values.output ?? 'table') as OutputFormat;
    if (!OUTPUT_FORMATS.includes(format))
      throw new UsageError(`-o must be one of ${OUTPUT_FORMATS.join(', ')}`);
    const { handler, args } = handlerFor(group, parsed.positionals);
    const client = new RestClient(parsed.values.url ?? process.env['SLUICE_URL'] ?? DEFAULT_WORKER_URL);
    await handler({
      client,
      format,
      args,
      options: parsed.values,
      print: (p) => out(render(p, format)),
      // Data formats keep stdout parseable; people read the diff and notes on stderr then.
      note: (line) => (format === 'table' ? out(`${line}\n`) : err(`${line}\n`)),
    });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof UsageError) {
      err(`sluice: ${error.message}\n\n${OPERATOR_HELP}`);
      return EXIT.usage;
    }
    if (error instanceof SluiceError && error.code === 'WORKER_UNREACHABLE') {
      err(`sluice: ${error.message} [${error.code}]\n`);
      return EXIT.unreachable;
    }
    // watch printed how the job ended already.
    if (error instanceof JobDidNotComplete) return EXIT.refused;
    if (error instanceof WorkerRefusal) {
      err(`sluice: ${error.message} (HTTP ${error.status})\n`);
      return EXIT.refused;
    }
    err(`sluice: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.refused;
  }
}
