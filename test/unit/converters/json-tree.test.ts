import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  mayHoldImpreciseNumber,
  parseJsonTree,
  PreciseNumber,
} from '../../../runtime/converters/json/json-tree.js';

describe('parseJsonTree: which documents need the exact number parser', () => {
  test('numbers with 16+ digits and dots outside strings are found; digits inside strings are not', () => {
    const found = [
      '12345678901234567',
      '{"a":9007199254740993}',
      '[1,-1234567890123456]',
      '{"a": 1.234567890123456}',
      '{"a":[0, 123456789012345.6e3]}',
      '{"s":"x\\"","n":1234567890123456}', // escaped quote inside the string before the number
      '{"s":"x\\\\","n":1234567890123456}', // escaped backslash ends the string
      '{"a":1e1234567890123456}', // a long exponent: needlessly exact, but the same double
    ];
    for (const text of found) assert.equal(mayHoldImpreciseNumber(text), true, text);
    const notFound = [
      '',
      '{"a":123456789012345}', // 15 digits
      '{"a":1.2345678901234}', // 14 digits and a dot
      '{"s":"12345678901234567890"}',
      '{"s":"a\\"12345678901234567890"}',
      '{"12345678901234567890":1}',
      '{"a":"........................"}',
    ];
    for (const text of notFound) assert.equal(mayHoldImpreciseNumber(text), false, text);
  });

  test('agrees with a digit-run search over the text outside strings (random documents)', () => {
    let seed = 42;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const pieces = ['1', '9', '0', '.', '-', 'e', ',', ':', '[', ']', ' ', '"', '\\', 'a', '12345678'];
    for (let i = 0; i < 20000; i++) {
      let text = '';
      const length = 1 + random(40);
      for (let j = 0; j < length; j++) text += pieces[random(pieces.length)];
      // The reference: blank out string literals as a JSON tokenizer sees them, then search the rest.
      let outside = '';
      for (let k = 0; k < text.length; k++) {
        if (text[k] !== '"') {
          outside += text[k];
          continue;
        }
        outside += ' ';
        for (k++; k < text.length && text[k] !== '"'; k++) if (text[k] === '\\') k++;
        outside += ' ';
      }
      assert.equal(mayHoldImpreciseNumber(text), /\d[\d.]{15,}/.test(outside), JSON.stringify(text));
    }
  });

  test('the exact parser keeps big integers and long fractions; others parse natively', () => {
    assert.deepEqual(parseJsonTree('{"s":"12345678901234567890","n":12345678901234567890}'), {
      s: '12345678901234567890',
      n: 12345678901234567890n,
    });
    assert.deepEqual(parseJsonTree('[1.23456789012345678]'), [new PreciseNumber('1.23456789012345678')]);
    assert.deepEqual(parseJsonTree('{"a":"\\"","b":2.9999999999999999}'), {
      a: '"',
      b: new PreciseNumber('2.9999999999999999'),
    });
    assert.deepEqual(parseJsonTree('{"a":007}'), { a: 7 });
    assert.equal(parseJsonTree('"12345678901234567890"'), '12345678901234567890');
  });
});
