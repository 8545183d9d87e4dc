/**
 * `npm run compat`: Sluice next to the real Java systems it promises to be compatible with, on the test
 * services: Kafka Connect 4.3.1's REST API, the Debezium 3.6.1 PostgreSQL connector's events, MirrorMaker
 * 2 4.3.1's internal topics and take-over in both directions. The jars come from Maven Central on the first
 * run (test/bench/peers/pom.xml). Prints every difference, marks those docs/compatibility.md lists as
 * intentional, and exits 1 when any other difference is left (2 when a comparison could not run).
 *
 * COMPAT_ONLY=rest,debezium,mirror picks areas; COMPAT_VERBOSE=1 also prints the intentional ones.
 */
import { ensurePeerJars } from '../bench/peers/java-peers.js';
import type { Area, Difference } from './difference.js';
import { intentionalReason } from './intentional.js';
import { compareRest } from './rest.js';
import { compareDebezium } from './debezium.js';
import { compareMirror } from './mirror.js';

const AREAS: Record<Area, (classpath: string) => Promise<Difference[]>> = {
  rest: compareRest,
  debezium: compareDebezium,
  mirror: compareMirror,
};

function selected(): Area[] {
  const raw = process.env['COMPAT_ONLY']?.trim();
  const all = Object.keys(AREAS) as Area[];
  if (raw === undefined || raw === '') return all;
  const names = raw.split(',').map((s) => s.trim());
  const unknown = names.filter((n) => !(all as string[]).includes(n));
  if (unknown.length > 0) throw new Error(`COMPAT_ONLY: unknown ${unknown.join(', ')}; use ${all.join(',')}`);
  return all.filter((a) => names.includes(a));
}

const show = (value: unknown): string => {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text === undefined ? 'undefined' : text.length > 300 ? `${text.slice(0, 300)}…` : text;
};

async function main(): Promise<number> {
  const started = performance.now();
  const classpath = ensurePeerJars();
  const verbose = process.env['COMPAT_VERBOSE'] === '1';
  const summary: string[] = [];
  let unexpected = 0;
  let failed = 0;
  for (const area of selected()) {
    const areaStart = performance.now();
    let differences: Difference[];
    try {
      differences = await AREAS[area](classpath);
    } catch (error) {
      failed++;
      process.stdout.write(
        `\n[${area}] could not run: ${error instanceof Error ? error.stack : String(error)}\n`,
      );
      summary.push(`${area}: could not run`);
      continue;
    }
    let intentional = 0;
    process.stdout.write(`\n[${area}] ${differences.length} difference(s)\n`);
    for (const d of differences) {
      const reason = intentionalReason(d);
      if (reason !== null) intentional++;
      if (reason !== null && !verbose) continue;
      process.stdout.write(
        `${reason === null ? 'DIFF' : 'ok  '} ${d.step} :: ${d.path}\n     java:   ${show(d.java)}\n     sluice: ${show(d.sluice)}\n${reason === null ? '' : `     intentional: ${reason}\n`}`,
      );
    }
    unexpected += differences.length - intentional;
    const seconds = ((performance.now() - areaStart) / 1000).toFixed(0);
    summary.push(
      `${area}: ${differences.length - intentional} unexpected, ${intentional} intentional (${seconds} s)`,
    );
  }
  const total = ((performance.now() - started) / 1000).toFixed(0);
  process.stdout.write(`\ncompat summary (${total} s):\n${summary.map((s) => `  ${s}`).join('\n')}\n`);
  return failed > 0 ? 2 : unexpected > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(2);
  },
);
