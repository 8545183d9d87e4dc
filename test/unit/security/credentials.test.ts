import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  signForwardedRequest,
  verifyForwardedRequest,
} from '../../../runtime/security/forwarded-request-signature.js';
import { hashPassword, parsePasswordHash, verifyPassword } from '../../../runtime/security/password-hash.js';
import { parseTenantDirectory } from '../../../runtime/security/tenant-directory.js';
import { parseTokensFile, hashToken, newToken } from '../../../runtime/security/token-authenticator.js';
import { parseUsersFile } from '../../../runtime/security/basic-authenticator.js';

describe('credentials', () => {
  test('scrypt hashes verify the password and nothing else', async () => {
    const stored = parsePasswordHash(hashPassword('s3cret'));
    assert.ok(stored !== null);
    assert.equal(await verifyPassword('s3cret', stored), true);
    assert.equal(await verifyPassword('s3cret ', stored), false);
  });

  test('credentials files refuse plain-text secrets', () => {
    assert.throws(() => parseUsersFile('alice:password\n', 'users'), /CONFIG_FILE_MALFORMED|users:1/);
    assert.throws(() => parseTokensFile('ci:abc\n', 'tokens'), /tokens:1/);
    const token = newToken();
    assert.equal(parseTokensFile(`# ci\nci:${hashToken(token)}\n`, 'tokens').get('ci'), hashToken(token));
  });

  test('a forwarded request verifies only unchanged and with the same key', () => {
    const key = {
      key: Buffer.alloc(32, 7).toString('base64'),
      algorithm: 'HmacSHA256',
      creationTimestamp: 0,
    };
    const request = { method: 'POST', path: '/connectors', principal: 'alice', body: '{"name":"a.x"}' };
    const headers = signForwardedRequest(key, request);
    assert.equal(verifyForwardedRequest(key, { ...request, headers }), 'alice');
    assert.equal(verifyForwardedRequest(key, { ...request, body: '{"name":"b.x"}', headers }), null);
    assert.equal(verifyForwardedRequest(key, { ...request, path: '/connectors/x', headers }), null);
    const other = { ...key, key: Buffer.alloc(32, 8).toString('base64') };
    assert.equal(verifyForwardedRequest(other, { ...request, headers }), null);
    const old = signForwardedRequest(key, request, Date.now() - 10 * 60_000);
    assert.equal(verifyForwardedRequest(key, { ...request, headers: old }), null);
    assert.equal(verifyForwardedRequest(undefined, { ...request, headers }), null);
  });

  test('the tenants file names what is wrong', () => {
    assert.throws(
      () => parseTenantDirectory('{"principals":{"bob":{"role":"operator"}}}', 't.json'),
      /principals\.bob\.tenant/,
    );
    assert.throws(
      () => parseTenantDirectory('{"principals":{"bob":{"role":"root"}}}', 't.json'),
      /principals\.bob\.role/,
    );
    const directory = parseTenantDirectory(
      '{"principals":{"bob":{"role":"viewer","tenant":"b"}},"tenants":{"b":{}}}',
      't.json',
    );
    assert.deepEqual(directory.tenants.get('b')?.topicPrefixes, ['b.']);
    assert.deepEqual(directory.principals.get('bob'), { name: 'bob', role: 'viewer', tenant: 'b' });
  });
});
