import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { createRestServer } from '../../../api/index.js';
import { FakeHerder } from './fake-herder.js';

export interface RestFixture {
  readonly app: FastifyInstance;
  readonly herder: FakeHerder;
  request(method: InjectOptions['method'], url: string, body?: unknown): Promise<LightMyRequestResponse>;
}

/** A REST server over a fresh FakeHerder; bodies are sent as JSON. */
export function restFixture(options: { requestTimeoutMs?: number } = {}): RestFixture {
  const herder = new FakeHerder();
  const app = createRestServer(herder, options);
  return {
    app,
    herder,
    request: (method, url, body) =>
      app.inject({
        method,
        url,
        ...(body === undefined
          ? {}
          : { payload: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      }),
  };
}

export const fileSinkConfig = {
  'connector.class': 'org.example.FileStreamSinkConnector',
  'tasks.max': '2',
  topics: 'orders',
};

/** Asserts Connect's error body and returns its message. */
export function errorMessageOf(response: LightMyRequestResponse, status: number): string {
  const body = response.json() as { error_code: unknown; message: unknown };
  if (
    response.statusCode !== status ||
    body.error_code !== status ||
    typeof body.message !== 'string' ||
    Object.keys(body).length !== 2
  ) {
    throw new Error(`expected error ${status}, got ${response.statusCode} ${response.body}`);
  }
  return body.message;
}
