import type { Lsn } from './lsn.js';

/** One column value of a pgoutput TupleData: text form, SQL NULL, or an unchanged TOASTed value. */
export type TupleValue =
  | { readonly kind: 'null' }
  | { readonly kind: 'unchanged-toast' }
  | { readonly kind: 'text'; readonly text: string };

export interface RelationColumn {
  readonly isKey: boolean;
  readonly name: string;
  readonly typeOid: number;
  readonly typeModifier: number;
}

export interface BeginMessage {
  readonly tag: 'begin';
  readonly finalLsn: Lsn;
  readonly commitTimeMicros: bigint;
  readonly xid: number;
}
export interface CommitMessage {
  readonly tag: 'commit';
  readonly commitLsn: Lsn;
  readonly endLsn: Lsn;
  readonly commitTimeMicros: bigint;
}
export interface OriginMessage {
  readonly tag: 'origin';
  readonly originLsn: Lsn;
  readonly name: string;
}
export interface RelationMessage {
  readonly tag: 'relation';
  readonly relationId: number;
  readonly schema: string;
  readonly table: string;
  readonly replicaIdentity: string;
  readonly columns: readonly RelationColumn[];
}
export interface TypeMessage {
  readonly tag: 'type';
  readonly typeOid: number;
  readonly schema: string;
  readonly name: string;
}
export interface InsertMessage {
  readonly tag: 'insert';
  readonly relationId: number;
  readonly newTuple: readonly TupleValue[];
}
export interface UpdateMessage {
  readonly tag: 'update';
  readonly relationId: number;
  /** 'K': only the replica identity columns; 'O': the whole old row (REPLICA IDENTITY FULL); null when not sent. */
  readonly oldKind: 'K' | 'O' | null;
  readonly oldTuple: readonly TupleValue[] | null;
  readonly newTuple: readonly TupleValue[];
}
export interface DeleteMessage {
  readonly tag: 'delete';
  readonly relationId: number;
  readonly oldKind: 'K' | 'O';
  readonly oldTuple: readonly TupleValue[];
}
export interface TruncateMessage {
  readonly tag: 'truncate';
  readonly cascade: boolean;
  readonly restartIdentity: boolean;
  readonly relationIds: readonly number[];
}
export interface LogicalMessage {
  readonly tag: 'message';
  readonly transactional: boolean;
  readonly messageLsn: Lsn;
  readonly prefix: string;
  readonly content: Buffer;
}

export type PgOutputMessage =
  | BeginMessage
  | CommitMessage
  | OriginMessage
  | RelationMessage
  | TypeMessage
  | InsertMessage
  | UpdateMessage
  | DeleteMessage
  | TruncateMessage
  | LogicalMessage;
