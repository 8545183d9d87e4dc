/**
 * sink-path-json: only the JsonConverter results of the sink-path benchmark (`npm run bench -- sink-path-json`):
 * schemas.enable=false and schemas.enable=true. See sink-path.ts and docs/benchmarks.md.
 */
process.env['BENCH_SINK_VARIANTS'] ??= 'sink-path-json,sink-path-json-schemas';
await import('./sink-path.js');
