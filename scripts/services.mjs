#!/usr/bin/env node
// The real services the integration tests and benchmarks run against.
//   node scripts/services.mjs up     [service...]  start what is not answering, wait until all answer
//   node scripts/services.mjs down   [service...]  stop the JVM services we started
//   node scripts/services.mjs status [service...]  one line per service
//   node scripts/services.mjs env                  one KEY=value line per endpoint (for `eval`/.env files)
// Services: kafka-a, kafka-b, cassandra, s3, postgres, redis. See docs/services.md.
import console from 'node:console';
import process from 'node:process';
import { endpointLines } from '../test/services/lib/endpoints.mjs';
import { down, status, up } from '../test/services/lib/lifecycle.mjs';
import { selectServices } from '../test/services/lib/registry.mjs';

const USAGE =
  'usage: node scripts/services.mjs up|down|status [kafka-a|kafka-b|cassandra|s3|postgres|redis ...] | env';

async function main([command, ...names]) {
  if (command === 'env') {
    console.log(endpointLines().join('\n'));
    return 0;
  }
  const services = selectServices(names);
  switch (command) {
    case 'up':
      await up(services);
      return 0;
    case 'down':
      await down(services);
      return 0;
    case 'status':
      return (await status(services)) ? 0 : 1;
    default:
      console.error(USAGE);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(`\nservices: ${error.message}`);
    process.exit(1);
  },
);
