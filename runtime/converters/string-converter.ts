import type { ConfigDef } from '../api/config-def.js';
import type { Converter, HeaderConverter } from '../api/converter.js';
import { Schemas, type Schema, type SchemaAndValue } from '../api/schema.js';
import { SluiceError } from '../errors/sluice-error.js';
import { conversionFailed } from './conversion-error.js';
import { CONVERTER_TYPE_KEY, parseConverterConfig } from './converter-config.js';

export const STRING_CONVERTER_CONFIG_DEF: ConfigDef = {
  'converter.type': CONVERTER_TYPE_KEY,
  'converter.encoding': {
    type: 'string',
    default: 'UTF-8',
    importance: 'high',
    documentation: 'The name of the Java character set to use for encoding strings as byte arrays.',
    width: 'medium',
    displayName: 'Encoding',
  },
};

interface Charset {
  encode(text: string): Buffer;
  decode(bytes: Buffer): string;
}

const UTF8: Charset = { encode: (t) => Buffer.from(t, 'utf8'), decode: (b) => b.toString('utf8') };
const LATIN1: Charset = {
  // Java replaces characters the charset cannot represent with '?'
  encode: (t) => Buffer.from(t.replace(/[\u0100-\uffff]/g, '?'), 'latin1'),
  decode: (b) => b.toString('latin1'),
};
const ASCII: Charset = {
  encode: (t) => Buffer.from(t.replace(/[\u0080-\uffff]/g, '?'), 'latin1'),
  decode: (b) => b.toString('latin1').replace(/[\u0080-\u00ff]/g, '\ufffd'),
};
const UTF16LE: Charset = { encode: (t) => Buffer.from(t, 'utf16le'), decode: (b) => b.toString('utf16le') };
const UTF16BE: Charset = {
  encode: (t) => Buffer.from(t, 'utf16le').swap16(),
  decode: (b) =>
    Buffer.from(b.subarray(0, b.length & ~1))
      .swap16()
      .toString('utf16le'),
};
// Java's "UTF-16" writes a big-endian byte-order mark and honours one when reading.
const UTF16: Charset = {
  encode: (t) => (t === '' ? Buffer.alloc(0) : Buffer.concat([Buffer.from([0xfe, 0xff]), UTF16BE.encode(t)])),
  decode: (b) => {
    if (b[0] === 0xff && b[1] === 0xfe) return UTF16LE.decode(b.subarray(2));
    return UTF16BE.decode(b[0] === 0xfe && b[1] === 0xff ? b.subarray(2) : b);
  },
};

const CHARSETS: ReadonlyMap<string, Charset> = new Map([
  ['UTF-8', UTF8],
  ['UTF8', UTF8],
  ['ISO-8859-1', LATIN1],
  ['LATIN1', LATIN1],
  ['US-ASCII', ASCII],
  ['ASCII', ASCII],
  ['UTF-16', UTF16],
  ['UTF-16BE', UTF16BE],
  ['UTF-16LE', UTF16LE],
]);

/** Connect's org.apache.kafka.connect.storage.StringConverter: String(value) in the configured charset. */
export class StringConverter implements Converter, HeaderConverter {
  private charset: Charset = UTF8;

  configure(config: Readonly<Record<string, string>>, _isKey = false): void {
    const encoding = parseConverterConfig(STRING_CONVERTER_CONFIG_DEF, config)
      .string('converter.encoding')
      .trim();
    const charset = CHARSETS.get(encoding.toUpperCase());
    if (charset === undefined) {
      throw new SluiceError('CONFIG_INVALID_VALUE', [
        encoding,
        'converter.encoding',
        `Unsupported encoding; use one of ${[...CHARSETS.keys()].join(', ')}`,
      ]);
    }
    this.charset = charset;
  }

  fromConnectData(topic: string, _schema: Schema | null, value: unknown): Buffer | null {
    if (value === null || value === undefined) return null;
    try {
      return this.charset.encode(typeof value === 'string' ? value : String(value));
    } catch (error) {
      throw conversionFailed('StringConverter', topic, error);
    }
  }

  toConnectData(_topic: string, value: Buffer | null): SchemaAndValue {
    return { schema: Schemas.OPTIONAL_STRING, value: value === null ? null : this.charset.decode(value) };
  }

  fromConnectHeader(topic: string, _headerKey: string, schema: Schema | null, value: unknown): Buffer | null {
    return this.fromConnectData(topic, schema, value);
  }

  toConnectHeader(topic: string, _headerKey: string, value: Buffer | null): SchemaAndValue {
    return this.toConnectData(topic, value);
  }
}
