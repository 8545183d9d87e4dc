/** A failed task's or connector's error, as its trace tells it. */
export interface TaskError {
  /** The registry code (`CONNECT_ERROR`), when the trace names one. */
  readonly code: string | undefined;
  readonly message: string;
  readonly trace: string;
}

// The worker writes a SluiceError's first trace line as `SluiceError [CODE]: message`.
const FIRST_LINE = /^([\w.$]+)(?: \[([A-Z0-9_]+)\])?: (.*)$/;

export function taskErrorOf(trace: string): TaskError {
  const first = trace.split('\n', 1)[0] ?? '';
  const match = FIRST_LINE.exec(first);
  return match === null
    ? { code: undefined, message: first, trace }
    : { code: match[2] ?? match[1], message: match[3] ?? first, trace };
}
