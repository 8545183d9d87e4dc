// LogRegistry: named loggers on one root; bindings (e.g. a MirrorMaker flow) reach every line, and the
// root level set at run time still governs them.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { LogRegistry } from '../../../runtime/logging/log-registry.js';

function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const lines = (): Record<string, unknown>[] =>
    chunks
      .join('')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { stream, lines };
}

test('bindings are on every line of every named logger; the root level still applies', async () => {
  const out = capture();
  const logs = new LogRegistry({ level: 'INFO', destination: out.stream, bindings: { flow: 'A->B' } });
  logs.logger('sluice.worker').info('started', { port: 8083 });
  logs.logger('sluice.kafka').debug('not shown at INFO');
  logs.set('root', 'DEBUG');
  logs.logger('sluice.kafka').debug('shown at DEBUG');
  await new Promise((resolve) => setImmediate(resolve));
  const lines = out.lines();
  assert.deepEqual(
    lines.map((l) => [l['flow'], l['logger'], l['msg']]),
    [
      ['A->B', 'sluice.worker', 'started'],
      ['A->B', 'sluice.kafka', 'shown at DEBUG'],
    ],
  );
  assert.equal(lines[0]!['port'], 8083);
});
