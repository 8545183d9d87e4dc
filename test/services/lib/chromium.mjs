// Debian's Chromium for the web console's browser tests (test/integration/console/): installed with apt on
// first run, like the service jars are fetched, because nothing the test machine had by hand survives on CI.
import process from 'node:process';
import console from 'node:console';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** The system browser playwright-core drives (no browser download); SLUICE_CHROMIUM overrides it. */
export const CHROMIUM = process.env.SLUICE_CHROMIUM ?? '/usr/bin/chromium';

const aptGet = (...args) =>
  spawnSync('apt-get', args, {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });

/**
 * Installs chromium when it is missing and this process may (root with apt-get). A failure only warns: the
 * other integration tests do not need a browser, and the console test names what is missing.
 */
export function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  if (process.getuid?.() !== 0) {
    console.warn(`${CHROMIUM} is missing: install Debian's chromium for the web console tests`);
    return;
  }
  console.log(`${CHROMIUM} is missing: installing Debian's chromium for the web console tests`);
  // The package lists may be absent (a fresh container) or stale: update once and retry.
  if (aptGet('install', '-y', 'chromium').status !== 0) {
    aptGet('update');
    aptGet('install', '-y', 'chromium');
  }
  if (!existsSync(CHROMIUM)) console.warn(`installing chromium did not produce ${CHROMIUM}`);
}
