import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConfigDef } from '../../../runtime/api/config-def.js';
import { ConfigValues } from '../../../runtime/api/config-values.js';

const def: ConfigDef = {
  i: { type: 'int', importance: 'low', documentation: 'an INT', default: 0 },
  l: { type: 'long', importance: 'low', documentation: 'a LONG', default: 0 },
};

function issues(raw: Record<string, string>): string[] {
  return ConfigValues.parse(def, raw).issues.map((i) => i.message);
}

describe("INT and LONG keys accept exactly Java's int and long ranges, as Connect's ConfigDef", () => {
  test('INT: -2^31 .. 2^31-1', () => {
    assert.deepEqual(issues({ i: '2147483647' }), []);
    assert.deepEqual(issues({ i: '-2147483648' }), []);
    assert.deepEqual(issues({ i: '2147483648' }), [
      'Invalid value 2147483648 for configuration i: Not a number of type INT',
    ]);
    assert.deepEqual(issues({ i: '-2147483649' }), [
      'Invalid value -2147483649 for configuration i: Not a number of type INT',
    ]);
  });

  test('LONG: -2^63 .. 2^63-1', () => {
    assert.deepEqual(issues({ l: '9223372036854775807' }), []);
    assert.deepEqual(issues({ l: '-9223372036854775808' }), []);
    assert.deepEqual(issues({ l: '9223372036854775808' }), [
      'Invalid value 9223372036854775808 for configuration l: Not a number of type LONG',
    ]);
    assert.deepEqual(issues({ l: '99999999999999999999' }), [
      'Invalid value 99999999999999999999 for configuration l: Not a number of type LONG',
    ]);
  });
});
