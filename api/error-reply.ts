import { SluiceError } from '../runtime/errors/sluice-error.js';

/** Kafka Connect's error body: `error_code` repeats the HTTP status. */
export interface ErrorBody {
  readonly error_code: number;
  readonly message: string;
}

export interface ErrorReply {
  readonly status: number;
  readonly body: ErrorBody;
}

/** Statuses fastify itself raises on bad requests (415 wrong media type, 413 body too large, ...). */
function clientStatusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

/** Maps any thrown value onto the status and body Connect would answer with; unknown errors are 500s. */
export function errorReplyOf(error: unknown): ErrorReply {
  const status = error instanceof SluiceError ? error.status : (clientStatusOf(error) ?? 500);
  const message = error instanceof Error ? error.message : String(error);
  return { status, body: { error_code: status, message } };
}
