// A worker process (standalone or distributed) whose REST API listens on https: readiness is asked of
// GET /health, the one route that needs no credentials, over TLS with the test CA.
import { SluiceProcess, type ExitResult } from '../../support/sluice-process.js';
import { httpsRest, type HttpsClient } from '../../support/https-rest.js';
import type { RestReply } from '../../support/worker-process.js';

export class HttpsWorker {
  private readonly process = new SluiceProcess({});

  constructor(
    readonly mode: 'standalone' | 'distributed',
    readonly port: number,
    readonly workerFile: string,
    /** How readiness is asked (the CA, and a client certificate when the listener requires one). */
    private readonly probe: HttpsClient,
  ) {}

  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  get output(): string {
    return this.process.output;
  }

  start(): Promise<void> {
    return this.process.start(
      [this.mode, this.workerFile],
      async () => {
        const reply = await httpsRest<{ status: string }>(this.probe, this.url, 'GET', '/health');
        return reply.status === 200 && reply.body.status === 'healthy';
      },
      60_000,
      `${this.mode} worker on ${this.url}`,
    );
  }

  rest<T = unknown>(
    client: HttpsClient,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<RestReply<T>> {
    return httpsRest<T>(client, this.url, method, path, body);
  }

  async dispose(): Promise<ExitResult | undefined> {
    return this.process.running ? this.process.kill9().catch(() => undefined) : undefined;
  }
}
