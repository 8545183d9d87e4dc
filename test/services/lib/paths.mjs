// Where the service scripts keep things: jar cache under test/services/target (Maven's
// folder, gitignored), per-service data, logs and pid files under .services/<name>/.
import { URL, fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const SERVICES_SOURCE_DIR = join(REPO_ROOT, 'test/services');
export const JAR_CACHE_DIR = join(SERVICES_SOURCE_DIR, 'target');
export const STATE_DIR = join(REPO_ROOT, '.services');

export const serviceStateDir = (name) => join(STATE_DIR, name);
export const pidFile = (name) => join(serviceStateDir(name), `${name}.pid`);
export const startLockFile = (name) => join(serviceStateDir(name), `${name}.starting`);
export const logFile = (name) => join(serviceStateDir(name), `${name}.log`);
export const jarDir = (module) => join(JAR_CACHE_DIR, module, 'lib');
