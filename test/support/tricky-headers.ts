// Record headers real producers write and a pipeline must pass through exactly: null and empty values,
// a key repeated among others (order matters), and an integer-like key (JS objects move those first).
import type { JavaHeader } from './java-kafka-client.js';

export function trickyHeaders(i: number): JavaHeader[] {
  return [
    { key: 'trace', value: Buffer.from(`t-${i}`) },
    { key: 'nothing', value: null },
    { key: 'empty', value: Buffer.alloc(0) },
    { key: 'trace', value: null },
    { key: '7', value: Buffer.from('seven') },
    { key: 'trace', value: Buffer.alloc(0) },
  ];
}
