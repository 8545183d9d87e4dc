import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  parseProperties,
  readConnectorFile,
  readPropertiesFile,
} from '../../../runtime/config/properties-file.js';
import { SluiceError } from '../../../runtime/errors/sluice-error.js';

async function tempFile(name: string, text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-props-'));
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

describe('parseProperties (java.util.Properties rules)', () => {
  test('accepts =, : and whitespace as separators, with whitespace around them', () => {
    assert.deepEqual(parseProperties('a=1\nb:2\nc 3\nd   =   4\ne\t:\t5\nf = = 6'), {
      a: '1',
      b: '2',
      c: '3',
      d: '4',
      e: '5',
      f: '= 6',
    });
  });

  test('skips # and ! comments and blank lines, and leading whitespace', () => {
    assert.deepEqual(
      parseProperties('# comment\n! other comment\n\n   \n   key = value\n  # indented comment'),
      { key: 'value' },
    );
  });

  test('a comment line ending in a backslash does not continue', () => {
    assert.deepEqual(parseProperties('# comment \\\nkey=value'), { key: 'value' });
  });

  test("joins continuation lines and strips the next line's leading whitespace", () => {
    assert.deepEqual(parseProperties('fruits = apple, banana, \\\n         pear, \\\n    cantaloupe'), {
      fruits: 'apple, banana, pear, cantaloupe',
    });
  });

  test('an even number of trailing backslashes is an escaped backslash, not a continuation', () => {
    assert.deepEqual(parseProperties('path=C:\\\\\nnext=1'), { path: 'C:\\', next: '1' });
  });

  test('a continuation can start a line that looks like a comment', () => {
    assert.deepEqual(parseProperties('key=a\\\n  #b'), { key: 'a#b' });
  });

  test('resolves escapes: \\t \\n \\r \\f \\uXXXX and drops other backslashes', () => {
    assert.deepEqual(parseProperties('k=tab\\tnl\\ncr\\rff\\f\\u00e9\\u0041\\q'), {
      k: 'tab\tnl\ncr\rff\f\u00e9Aq',
    });
  });

  test('escaped separators and spaces belong to the key', () => {
    assert.deepEqual(parseProperties('a\\=b=c\nx\\:y:z\nhello\\ world = v'), {
      'a=b': 'c',
      'x:y': 'z',
      'hello world': 'v',
    });
  });

  test('a key alone has an empty value; value whitespace on the right is kept', () => {
    assert.deepEqual(parseProperties('cheeses\nk = v  '), { cheeses: '', k: 'v  ' });
  });

  test('handles \\r\\n and \\r line endings; the last duplicate wins', () => {
    assert.deepEqual(parseProperties('a=1\r\nb=2\rc=3\r\na=4'), { a: '4', b: '2', c: '3' });
  });

  test('a trailing backslash at end of input is dropped', () => {
    assert.deepEqual(parseProperties('k=v\\'), { k: 'v' });
  });

  test('URLs and placeholders survive untouched', () => {
    assert.deepEqual(
      parseProperties('listeners=http://0.0.0.0:8083\npw=${file:/etc/secret.properties:password}'),
      {
        listeners: 'http://0.0.0.0:8083',
        pw: '${file:/etc/secret.properties:password}',
      },
    );
  });
});

describe('readPropertiesFile', () => {
  test('reads a worker file', async () => {
    const path = await tempFile(
      'worker.properties',
      'bootstrap.servers=localhost:9092\noffset.storage.file.filename=/tmp/o\n',
    );
    assert.deepEqual(await readPropertiesFile(path), {
      'bootstrap.servers': 'localhost:9092',
      'offset.storage.file.filename': '/tmp/o',
    });
  });

  test('a missing file is CONFIG_FILE_NOT_FOUND naming the file', async () => {
    await assert.rejects(readPropertiesFile('/nonexistent/worker.properties'), (e: unknown) => {
      assert.ok(e instanceof SluiceError);
      assert.equal(e.code, 'CONFIG_FILE_NOT_FOUND');
      assert.match(e.message, /\/nonexistent\/worker\.properties/);
      return true;
    });
  });

  test('a malformed \\u escape is CONFIG_FILE_MALFORMED naming file and line', async () => {
    const path = await tempFile('bad.properties', '# header\n\na=1\nb=\\u12x4\n');
    await assert.rejects(readPropertiesFile(path), (e: unknown) => {
      assert.ok(e instanceof SluiceError);
      assert.equal(e.code, 'CONFIG_FILE_MALFORMED');
      assert.equal(e.message, `${path}:4: Malformed \\uxxxx encoding.`);
      return true;
    });
  });
});

describe('readConnectorFile', () => {
  test('reads a .properties connector file', async () => {
    const path = await tempFile(
      'c.properties',
      'name=local-file-source\nconnector.class=FileStreamSource\ntasks.max=1\n',
    );
    assert.deepEqual(await readConnectorFile(path), {
      name: 'local-file-source',
      config: { name: 'local-file-source', 'connector.class': 'FileStreamSource', 'tasks.max': '1' },
    });
  });

  test('reads a {name, config, initial_state} JSON file and puts the name into the config', async () => {
    const path = await tempFile(
      'c.json',
      JSON.stringify({
        name: 'c1',
        config: { 'connector.class': 'X', 'tasks.max': 2 },
        initial_state: 'paused',
      }),
    );
    assert.deepEqual(await readConnectorFile(path), {
      name: 'c1',
      config: { 'connector.class': 'X', 'tasks.max': '2', name: 'c1' },
      initialState: 'PAUSED',
    });
  });

  test('reads a flat JSON config', async () => {
    const path = await tempFile(
      'flat.json',
      JSON.stringify({ name: 'c2', 'connector.class': 'X', 'errors.log.enable': true }),
    );
    assert.deepEqual(await readConnectorFile(path), {
      name: 'c2',
      config: { name: 'c2', 'connector.class': 'X', 'errors.log.enable': 'true' },
    });
  });

  test('a mismatching config.name is refused', async () => {
    const path = await tempFile('mismatch.json', JSON.stringify({ name: 'c1', config: { name: 'other' } }));
    await assert.rejects(readConnectorFile(path), /doesn't match/);
  });

  test('a connector file without name is refused', async () => {
    const path = await tempFile('noname.properties', 'connector.class=X\n');
    await assert.rejects(
      readConnectorFile(path),
      (e: unknown) =>
        e instanceof SluiceError && e.code === 'CONFIG_FILE_MALFORMED' && /'name'/.test(e.message),
    );
  });

  test('a JSON syntax error names the file, line and column', async () => {
    const path = await tempFile('broken.json', '{\n  "name": "c1",\n  "config": { "a" 1 }\n}\n');
    await assert.rejects(readConnectorFile(path), (e: unknown) => {
      assert.ok(e instanceof SluiceError);
      assert.equal(e.code, 'CONFIG_FILE_MALFORMED');
      assert.ok(e.message.startsWith(`${path}:3:19:`), e.message);
      return true;
    });
  });

  test('a nested object value is refused naming the key', async () => {
    const path = await tempFile(
      'nested.json',
      JSON.stringify({ name: 'c1', 'connector.class': { bad: true } }),
    );
    await assert.rejects(readConnectorFile(path), /"connector\.class"/);
  });
});
