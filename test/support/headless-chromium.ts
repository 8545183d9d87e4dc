// Debian's Chromium driven by playwright-core (no browser download), for the web console's browser tests.
// test/services/lib/chromium.mjs installs it when `services up` runs.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { makeTempDir, removeTempDir } from './worker-process.js';

export const CHROMIUM_PATH = process.env['SLUICE_CHROMIUM'] ?? '/usr/bin/chromium';

/** Where screenshots go: a test artifact, outside the sources (dist/ is not committed). */
export const SCREENSHOT_DIR = fileURLToPath(new URL('../../test-artifacts/console/', import.meta.url));

// Quiet and hermetic: nothing phones home, nothing from the machine's profile.
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export class HeadlessChromium {
  private constructor(
    private readonly context: BrowserContext,
    private readonly profileDir: string,
    readonly page: Page,
    /** Uncaught errors of the page's scripts: a test asserts there were none. */
    readonly pageErrors: string[],
  ) {}

  /** A browser with a new empty profile and one page. */
  static async launch(): Promise<HeadlessChromium> {
    if (!existsSync(CHROMIUM_PATH)) {
      throw new Error(
        `${CHROMIUM_PATH} is missing: run \`npm run services:up\` as root (it installs Debian's chromium)`,
      );
    }
    const profileDir = await makeTempDir('chromium');
    const context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: ARGS,
      viewport: { width: 1280, height: 800 },
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    return new HeadlessChromium(context, profileDir, page, errors);
  }

  async screenshot(name: string): Promise<string> {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    const path = join(SCREENSHOT_DIR, `${name}.png`);
    await this.page.screenshot({ path, fullPage: true });
    return path;
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
    await removeTempDir(this.profileDir);
  }
}
