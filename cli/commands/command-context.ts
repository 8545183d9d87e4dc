import type { OutputFormat, Printable } from './output.js';
import type { RestClient } from './rest-client.js';

/** A wrong command line: exit code 2 with the usage of the command. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** What every operator command gets: the worker, the chosen output format, and where to print. */
export interface CommandContext {
  readonly client: RestClient;
  readonly format: OutputFormat;
  /** Positional arguments after the command words (`connectors pause NAME` → [NAME]). */
  readonly args: readonly string[];
  readonly options: Readonly<Record<string, string | boolean | string[] | undefined>>;
  print(printable: Printable): void;
  /** Progress and diff lines people read; on stderr when the output is data (json, yaml). */
  note(line: string): void;
}

export function requireArg(ctx: CommandContext, index: number, what: string): string {
  const value = ctx.args[index];
  if (value === undefined || value === '') throw new UsageError(`missing ${what}`);
  return value;
}

export function optionString(ctx: CommandContext, name: string): string | undefined {
  const value = ctx.options[name];
  return typeof value === 'string' ? value : undefined;
}
