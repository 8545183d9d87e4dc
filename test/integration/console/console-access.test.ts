// The web console against a worker with REST authentication (rest.auth=token) and a tenants file, in Debian's
// headless Chromium: the console asks for a token, a viewer gets no button that changes anything, a tenant sees
// only its own connectors, and an operator's pause goes through (checked through REST as an admin).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KAFKA_BOOTSTRAP } from '../../support/endpoints.js';
import { HeadlessChromium } from '../../support/headless-chromium.js';
import { createTopic, deleteTopics } from '../../support/kafka-test-client.js';
import { uniqueName, waitFor, WorkerProcess, writeProperties } from '../../support/worker-process.js';
import { hashPassword, hashToken, newToken } from '../../../runtime/security/index.js';

describe('web console with authentication and tenants', { timeout: 120_000 }, () => {
  const tenant = uniqueName('t').replace(/[^A-Za-z0-9]/g, '');
  const mine = `${tenant}.gen`;
  const theirs = uniqueName('other-gen');
  const topic = `${tenant}.numbers`;
  const theirTopic = uniqueName('it-console-other');
  const tokens = { root: newToken(), alice: newToken(), victor: newToken() } as const;
  let worker: WorkerProcess | undefined;
  let browser: HeadlessChromium | undefined;

  const asRoot = async (method: string, path: string): Promise<{ status: number; body: unknown }> => {
    const response = await fetch(`${worker!.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${tokens.root}`, accept: 'application/json' },
    });
    return { status: response.status, body: await response.json().catch(() => null) };
  };
  const page = () => browser!.page;
  const signIn = async (token: string): Promise<void> => {
    await page().locator('[data-testid="sign-in"] input[name="token"]').fill(token);
    await page().getByRole('button', { name: 'Sign in' }).click();
  };

  before(async () => {
    await Promise.all([createTopic(topic, 1), createTopic(theirTopic, 1)]);
    // The credentials files live in the worker's dir, known once it exists: its properties are written again.
    worker = await WorkerProcess.create();
    const tokensFile = join(worker.dir, 'tokens');
    await writeFile(
      tokensFile,
      Object.entries(tokens)
        .map(([name, token]) => `${name}:${hashToken(token)}`)
        .join('\n') + '\n',
    );
    const tenantsFile = join(worker.dir, 'tenants.json');
    await writeFile(
      tenantsFile,
      JSON.stringify({
        principals: {
          root: { role: 'admin' },
          alice: { tenant, role: 'operator' },
          victor: { tenant, role: 'viewer' },
        },
        tenants: { [tenant]: { plugins: ['DatagenSource'] } },
      }),
    );
    await writeProperties(worker.workerFile, {
      'bootstrap.servers': KAFKA_BOOTSTRAP,
      listeners: `http://127.0.0.1:${worker.port}`,
      'offset.storage.file.filename': worker.offsetsFile,
      'offset.flush.interval.ms': '1000',
      'rest.auth': 'token',
      'rest.auth.token.file': tokensFile,
      'tenants.file': tenantsFile,
    });
    const datagen = (name: string, kafkaTopic: string) =>
      writeProperties(join(worker!.dir, `${name}.properties`), {
        name,
        'connector.class': 'DatagenSource',
        'kafka.topic': kafkaTopic,
        'records.per.second': '20',
        'tasks.max': '1',
      });
    const files = [await datagen(mine, topic), await datagen(theirs, theirTopic)];
    await Promise.all([
      worker
        .launch(files)
        .then(() =>
          waitFor(
            async () => (await asRoot('GET', `/connectors/${mine}/status`)).status === 200,
            30_000,
            'the secured worker answering',
            200,
          ),
        ),
      HeadlessChromium.launch().then((b) => (browser = b)),
    ]);
  });

  after(async () => {
    await browser?.close();
    await worker?.dispose();
    await deleteTopics([topic, theirTopic]);
  });

  test('a viewer signs in with a token, sees only its tenant, and no action that changes anything', async () => {
    await page().goto(`${worker!.url}/ui/?poll=500#/connectors`);
    // The page itself loads without credentials; its first REST call is refused, so it asks for a token.
    await page().locator('[data-testid="sign-in"] input[name="token"]').waitFor({ timeout: 15_000 });
    await signIn('not-a-token');
    await page().getByRole('alert').filter({ hasText: 'refused these credentials' }).waitFor();
    await signIn(tokens.victor);

    await page().locator(`tr[data-connector="${mine}"]`).waitFor({ timeout: 15_000 });
    assert.deepEqual(
      await page()
        .locator('tr[data-connector]')
        .evaluateAll((rows) => rows.map((r) => r.dataset['connector'])),
      [mine],
    );
    assert.match(
      (await page().locator('[data-testid="principal"]').textContent()) ?? '',
      new RegExp(`victor \\(viewer, tenant ${tenant}\\)`),
    );
    assert.equal(await page().getByRole('link', { name: 'New connector' }).count(), 0);

    await page().goto(`${worker!.url}/ui/?poll=500#/connectors/${mine}`);
    const note = page().locator('[data-testid="read-only"]');
    await note.waitFor({ timeout: 10_000 });
    assert.match((await note.textContent()) ?? '', /victor is a viewer/);
    assert.equal(await page().getByRole('button', { name: 'Pause' }).count(), 0);
    assert.equal(await page().getByRole('link', { name: 'Edit' }).count(), 0);
    await browser!.screenshot('read-only');
    // The topology is built from the same filtered answers: the other connector is not on it.
    await page().goto(`${worker!.url}/ui/?poll=500#/topology`);
    await page().locator(`[data-node="source:${mine}"]`).waitFor({ timeout: 10_000 });
    assert.equal(await page().locator(`[data-node="source:${theirs}"]`).count(), 0);
  });

  test("an operator of the tenant signs in after the viewer signs out, and pauses the tenant's connector", async () => {
    await page().goto(`${worker!.url}/ui/?poll=500#/connectors/${mine}`);
    await page().getByRole('button', { name: 'Sign out' }).click();
    await signIn(tokens.alice);
    await page().getByRole('button', { name: 'Pause', exact: true }).click({ timeout: 15_000 });
    await waitFor(
      async () => {
        const status = (await asRoot('GET', `/connectors/${mine}/status`)).body as {
          connector: { state: string };
        };
        return status.connector.state === 'PAUSED';
      },
      15_000,
      `${mine} PAUSED`,
    );
    assert.equal(
      ((await asRoot('GET', `/connectors/${theirs}/status`)).body as { connector: { state: string } })
        .connector.state,
      'RUNNING',
    );
    assert.deepEqual(browser!.pageErrors, []);
  });
});

describe('web console with basic authentication', { timeout: 90_000 }, () => {
  let worker: WorkerProcess | undefined;
  let browser: HeadlessChromium | undefined;

  before(async () => {
    worker = await WorkerProcess.create();
    const users = join(worker.dir, 'users');
    await writeFile(users, `ada:${hashPassword('ada-pw')}\n`);
    // No tenants file: every authenticated user is an admin.
    await writeProperties(worker.workerFile, {
      'bootstrap.servers': KAFKA_BOOTSTRAP,
      listeners: `http://127.0.0.1:${worker.port}`,
      'offset.storage.file.filename': worker.offsetsFile,
      'rest.auth': 'basic',
      'rest.auth.basic.users.file': users,
    });
    await Promise.all([
      worker
        .launch()
        .then(() =>
          waitFor(
            async () => (await fetch(`${worker!.url}/health`)).status === 200,
            30_000,
            'the worker answering',
            200,
          ),
        ),
      HeadlessChromium.launch().then((b) => (browser = b)),
    ]);
  });

  after(async () => {
    await browser?.close();
    await worker?.dispose();
  });

  test("the page asks for a user and password (the 401's Basic challenge), and an admin may write", async () => {
    // A browser would answer WWW-Authenticate: Basic with its own dialog and hold the console's request: the
    // console's requests (X-Requested-With) get the scheme in X-Sluice-Authenticate instead; curl's, as usual.
    const plain = await fetch(`${worker!.url}/connectors`);
    assert.equal(plain.status, 401);
    assert.match(plain.headers.get('www-authenticate') ?? '', /^Basic /);
    const scripted = await fetch(`${worker!.url}/connectors`, {
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    });
    assert.equal(scripted.status, 401);
    assert.equal(scripted.headers.get('www-authenticate'), null);
    assert.match(scripted.headers.get('x-sluice-authenticate') ?? '', /^Basic /);

    const page = browser!.page;
    await page.goto(`${worker!.url}/ui/?poll=500#/connectors`);
    const form = page.locator('[data-testid="sign-in"]');
    await form.locator('input[name="user"]').waitFor({ timeout: 15_000 });
    await form.locator('input[name="user"]').fill('ada');
    await form.locator('input[name="password"]').fill('wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'refused these credentials' }).waitFor();
    await form.locator('input[name="password"]').fill('ada-pw');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('[data-testid="principal"]').filter({ hasText: 'ada (admin)' }).waitFor();
    await page.getByRole('link', { name: 'New connector' }).first().waitFor();
    assert.deepEqual(browser!.pageErrors, []);
  });
});
