import { SluiceError } from '../../runtime/errors/sluice-error.js';

/** Where the operator CLI finds a worker when neither --url nor SLUICE_URL says. */
export const DEFAULT_WORKER_URL = 'http://127.0.0.1:8083';

/** A refusal from the worker, with Connect's error body (`error_code` is the HTTP status, `message` why). */
export class WorkerRefusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'WorkerRefusal';
  }
}

export interface RestResponse<T> {
  readonly status: number;
  readonly body: T;
}

/**
 * The CLI's only way to a worker: its public REST API, like curl or any Connect tool. Network failures
 * become WORKER_UNREACHABLE (exit code 3) so a script can tell "no worker" from "the worker said no".
 */
export class RestClient {
  readonly baseUrl: string;

  constructor(
    baseUrl: string,
    private readonly timeoutMs = 60_000,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<RestResponse<T>> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new SluiceError('WORKER_UNREACHABLE', [this.baseUrl, describeNetworkError(error)], {
        cause: error,
      });
    }
    const text = await response.text();
    const parsed: unknown = text === '' ? null : parseJson(text);
    if (!response.ok) {
      const message =
        typeof parsed === 'object' && parsed !== null && 'message' in parsed
          ? String((parsed as { message: unknown }).message)
          : text || response.statusText;
      throw new WorkerRefusal(response.status, message);
    }
    return { status: response.status, body: parsed as T };
  }

  async get<T>(path: string): Promise<T> {
    return (await this.request<T>('GET', path)).body;
  }

  /** GET that answers null for 404, for "does it exist yet?" questions. */
  async getIfExists<T>(path: string): Promise<T | null> {
    try {
      return await this.get<T>(path);
    } catch (error) {
      if (error instanceof WorkerRefusal && error.status === 404) return null;
      throw error;
    }
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** `ECONNREFUSED`, `ENOTFOUND`, or "timed out": what fetch hides in its cause. */
function describeNetworkError(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'timed out';
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? String(error);
}

/** A path segment as the worker expects it (connector names may hold any character). */
export const seg = (s: string): string => encodeURIComponent(s);
