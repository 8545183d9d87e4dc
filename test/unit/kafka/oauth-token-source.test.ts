// OAUTHBEARER tokens by the client-credentials grant, against a small local token endpoint (the
// requests Kafka's OAuthBearerLoginCallbackHandler sends; a token reused until it nears expiry).
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { SluiceError } from '../../../runtime/errors/sluice-error.js';
import { OAuthTokenSource } from '../../../runtime/kafka/oauth-token-source.js';

interface SeenRequest {
  readonly authorization: string | undefined;
  readonly body: URLSearchParams;
}

describe('OAuthTokenSource', () => {
  let server: Server;
  let url: string;
  const seen: SeenRequest[] = [];
  let answer: { status: number; body: unknown } = { status: 200, body: {} };

  const bodyOf = async (request: IncomingMessage): Promise<string> => {
    let text = '';
    for await (const chunk of request) text += String(chunk);
    return text;
  };

  before(async () => {
    server = createServer((request, response) => {
      void bodyOf(request).then((text) => {
        seen.push({ authorization: request.headers.authorization, body: new URLSearchParams(text) });
        response.writeHead(answer.status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
  });

  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('asks with HTTP Basic client credentials and the scope, then reuses the token', async () => {
    seen.length = 0;
    answer = { status: 200, body: { access_token: 'token-1', token_type: 'bearer', expires_in: 3600 } };
    const source = new OAuthTokenSource({
      tokenEndpointUrl: url,
      clientId: 'sluice app',
      clientSecret: 's:cret',
      scope: 'kafka',
    });
    assert.deepEqual(await Promise.all([source.token(), source.token()]), ['token-1', 'token-1']);
    assert.equal(await source.token(), 'token-1');
    assert.equal(seen.length, 1);
    const basic = Buffer.from('sluice%20app:s%3Acret').toString('base64');
    assert.equal(seen[0]!.authorization, `Basic ${basic}`);
    assert.equal(seen[0]!.body.get('grant_type'), 'client_credentials');
    assert.equal(seen[0]!.body.get('scope'), 'kafka');
  });

  test('a token about to expire is fetched again', async () => {
    seen.length = 0;
    answer = { status: 200, body: { access_token: 'short', expires_in: 0 } };
    const source = new OAuthTokenSource({
      tokenEndpointUrl: url,
      clientId: 'c',
      clientSecret: 's',
      scope: null,
    });
    await source.token();
    await source.token();
    assert.equal(seen.length, 2);
    assert.equal(seen[0]!.body.has('scope'), false);
  });

  test('a refusal is KAFKA_AUTHENTICATION_FAILED naming the endpoint, never the secret', async () => {
    answer = { status: 401, body: { error: 'invalid_client' } };
    const source = new OAuthTokenSource({
      tokenEndpointUrl: url,
      clientId: 'c',
      clientSecret: 'very-secret',
      scope: null,
    });
    await assert.rejects(source.token(), (error: unknown) => {
      assert.ok(error instanceof SluiceError);
      assert.equal(error.code, 'KAFKA_AUTHENTICATION_FAILED');
      assert.match(error.message, /HTTP 401/);
      assert.ok(error.message.includes(url));
      assert.ok(!error.message.includes('very-secret'));
      return true;
    });
  });
});
