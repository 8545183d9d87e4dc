import { SluiceError } from '../runtime/errors/sluice-error.js';

/**
 * Resolves with `work` or rejects with REQUEST_TIMEOUT (500, as Connect answers) after `timeoutMs`.
 * The herder call keeps running: the client just stops waiting for it.
 */
export async function withinTimeout<T>(work: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new SluiceError('REQUEST_TIMEOUT', [`${what} did not complete within ${timeoutMs} ms`])),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
