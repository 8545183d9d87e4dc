import { BinaryReader } from './binary-reader.js';
import type { PgOutputMessage, RelationColumn, TupleValue } from './pgoutput-messages.js';

/** Decodes one pgoutput (protocol version 1) message, the payload of an XLogData frame. */
export function decodePgOutput(payload: Buffer): PgOutputMessage {
  const reader = new BinaryReader(payload);
  const tag = reader.char();
  switch (tag) {
    case 'B':
      return {
        tag: 'begin',
        finalLsn: reader.uint64(),
        commitTimeMicros: reader.int64(),
        xid: reader.uint32(),
      };
    case 'C': {
      reader.uint8(); // flags, unused
      return {
        tag: 'commit',
        commitLsn: reader.uint64(),
        endLsn: reader.uint64(),
        commitTimeMicros: reader.int64(),
      };
    }
    case 'O':
      return { tag: 'origin', originLsn: reader.uint64(), name: reader.cstring() };
    case 'R':
      return decodeRelation(reader);
    case 'Y':
      return { tag: 'type', typeOid: reader.uint32(), schema: reader.cstring(), name: reader.cstring() };
    case 'I': {
      const relationId = reader.uint32();
      expectChar(reader, 'N');
      return { tag: 'insert', relationId, newTuple: decodeTuple(reader) };
    }
    case 'U':
      return decodeUpdate(reader);
    case 'D': {
      const relationId = reader.uint32();
      const oldKind = reader.char();
      if (oldKind !== 'K' && oldKind !== 'O')
        throw new Error(`pgoutput: unexpected delete tuple kind ${oldKind}`);
      return { tag: 'delete', relationId, oldKind, oldTuple: decodeTuple(reader) };
    }
    case 'T': {
      const count = reader.uint32();
      const options = reader.uint8();
      const relationIds: number[] = [];
      for (let i = 0; i < count; i++) relationIds.push(reader.uint32());
      return {
        tag: 'truncate',
        cascade: (options & 1) !== 0,
        restartIdentity: (options & 2) !== 0,
        relationIds,
      };
    }
    case 'M': {
      const flags = reader.uint8();
      const messageLsn = reader.uint64();
      const prefix = reader.cstring();
      const length = reader.uint32();
      return {
        tag: 'message',
        transactional: (flags & 1) !== 0,
        messageLsn,
        prefix,
        content: Buffer.from(reader.bytes(length)),
      };
    }
    default:
      throw new Error(`pgoutput: unknown message type '${tag}' (0x${payload[0]?.toString(16) ?? '??'})`);
  }
}

function expectChar(reader: BinaryReader, wanted: string): void {
  const got = reader.char();
  if (got !== wanted) throw new Error(`pgoutput: expected '${wanted}' but got '${got}'`);
}

function decodeRelation(reader: BinaryReader): PgOutputMessage {
  const relationId = reader.uint32();
  const schema = reader.cstring();
  const table = reader.cstring();
  const replicaIdentity = reader.char();
  const count = reader.int16();
  const columns: RelationColumn[] = [];
  for (let i = 0; i < count; i++) {
    const flags = reader.uint8();
    columns.push({
      isKey: (flags & 1) !== 0,
      name: reader.cstring(),
      typeOid: reader.uint32(),
      typeModifier: reader.int32(),
    });
  }
  return { tag: 'relation', relationId, schema, table, replicaIdentity, columns };
}

function decodeUpdate(reader: BinaryReader): PgOutputMessage {
  const relationId = reader.uint32();
  let kind = reader.char();
  let oldKind: 'K' | 'O' | null = null;
  let oldTuple: TupleValue[] | null = null;
  if (kind === 'K' || kind === 'O') {
    oldKind = kind;
    oldTuple = decodeTuple(reader);
    kind = reader.char();
  }
  if (kind !== 'N') throw new Error(`pgoutput: expected new tuple in update, got '${kind}'`);
  return { tag: 'update', relationId, oldKind, oldTuple, newTuple: decodeTuple(reader) };
}

function decodeTuple(reader: BinaryReader): TupleValue[] {
  const count = reader.int16();
  const values: TupleValue[] = [];
  for (let i = 0; i < count; i++) {
    const kind = reader.char();
    switch (kind) {
      case 'n':
        values.push({ kind: 'null' });
        break;
      case 'u':
        values.push({ kind: 'unchanged-toast' });
        break;
      case 't': {
        const length = reader.uint32();
        values.push({ kind: 'text', text: reader.bytes(length).toString('utf8') });
        break;
      }
      default:
        throw new Error(
          `pgoutput: unsupported tuple value kind '${kind}' (binary values need protocol version 2)`,
        );
    }
  }
  return values;
}
