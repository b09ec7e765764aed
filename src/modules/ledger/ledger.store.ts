// ledger SQL. Every function takes the transaction.
import { type Generated, type RawBuilder, type Selectable, sql } from 'kysely';
import type { Tx } from '../../platform/db.ts';
import { LOCKS } from '../../platform/locks.ts';
import type { NodeId } from './merkle.ts';
import type { Profile } from './verify.ts';

interface LedgerLogTable {
  singleton: Generated<boolean>;
  origin: string;
  profile: Profile;
  public_key: Buffer;
  private_key_sealed: Buffer;
  created_at: Generated<Date>;
}
interface EntryColumns {
  receipt_id: string;
  leaf: Buffer;
  entry_type: string;
  entry_time: string;
  zone: string;
  actor: string;
  subject: string;
  payload: string;
  salt: Buffer;
  readers: string[];
}
interface LedgerQueueTable extends EntryColumns {
  id: Generated<number>;
}
interface LedgerEntriesTable extends EntryColumns {
  idx: number;
  leaf_hash: Buffer;
  integrated_at: Generated<Date>;
}
interface LedgerNodesTable {
  level: number;
  idx: number;
  hash: Buffer;
}
interface LedgerCheckpointsTable {
  size: number;
  root_hash: Buffer;
  note: string;
  created_at: Generated<Date>;
}

declare module '../../platform/db.ts' {
  interface Database {
    ledger_log: LedgerLogTable;
    ledger_queue: LedgerQueueTable;
    ledger_entries: LedgerEntriesTable;
    ledger_nodes: LedgerNodesTable;
    ledger_checkpoints: LedgerCheckpointsTable;
  }
}

export type EntryRow = Selectable<LedgerEntriesTable>;

export function findLog(tx: Tx) {
  return tx.selectFrom('ledger_log').select(['origin', 'profile', 'public_key', 'created_at']).executeTakeFirst();
}

export function findLogPrivateKey(tx: Tx) {
  return tx.selectFrom('ledger_log').select('private_key_sealed').executeTakeFirst();
}

export async function insertLog(
  tx: Tx,
  row: { origin: string; profile: Profile; public_key: Buffer; private_key_sealed: Buffer },
) {
  const result = await tx
    .insertInto('ledger_log')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export type QueueRow = EntryColumns;

/**
 * An insert of queue rows (in order) as one SQL statement, for a caller that writes them with rows of its own; `only`
 * (a subquery of positions in `rows`) keeps some of them.
 */
export function queueInsertSql(rows: readonly QueueRow[], only?: RawBuilder<unknown>) {
  const json = JSON.stringify(
    rows.map((r, ord) => ({
      ord,
      receipt_id: r.receipt_id,
      leaf: r.leaf.toString('base64'),
      entry_type: r.entry_type,
      entry_time: r.entry_time,
      zone: r.zone,
      actor: r.actor,
      subject: r.subject,
      payload: r.payload,
      salt: r.salt.toString('base64'),
      readers: r.readers,
    })),
  );
  return sql`insert into ledger_queue (receipt_id, leaf, entry_type, entry_time, zone, actor, subject, payload, salt, readers)
    select q.receipt_id, decode(q.leaf, 'base64'), q.entry_type, q.entry_time, q.zone, q.actor, q.subject, q.payload,
           decode(q.salt, 'base64'), array(select jsonb_array_elements_text(q.readers))
    from jsonb_to_recordset(${json}::jsonb) as q(ord int, receipt_id text, leaf text, entry_type text, entry_time text,
         zone text, actor text, subject text, payload text, salt text, readers jsonb)
    ${only ? sql`where q.ord in ${only}` : sql``}
    order by q.ord`;
}

export async function enqueue(tx: Tx, row: EntryColumns): Promise<void> {
  await tx.insertInto('ledger_queue').values(row).execute();
}

/** The oldest queued entries, locked so that a second integrator (during a leadership change) skips them. */
export function claimQueued(tx: Tx, limit: number) {
  return tx.selectFrom('ledger_queue').selectAll().orderBy('id').limit(limit).forUpdate().skipLocked().execute();
}

export async function deleteQueued(tx: Tx, ids: readonly number[]): Promise<void> {
  await sql`delete from ledger_queue where id = any(${ids}::bigint[])`.execute(tx);
}

// Batches go in as one JSON parameter: a statement with thousands of bound values costs PostgreSQL more to parse
// and plan than to run.
export async function insertEntries(tx: Tx, rows: ReadonlyArray<Omit<EntryRow, 'integrated_at'>>): Promise<void> {
  for (let i = 0; i < rows.length; i += 2000) {
    const json = JSON.stringify(
      rows.slice(i, i + 2000).map((r) => ({
        idx: r.idx,
        receipt_id: r.receipt_id,
        leaf: r.leaf.toString('base64'),
        leaf_hash: r.leaf_hash.toString('base64'),
        entry_type: r.entry_type,
        entry_time: r.entry_time,
        zone: r.zone,
        actor: r.actor,
        subject: r.subject,
        payload: r.payload,
        salt: r.salt.toString('base64'),
        readers: r.readers,
      })),
    );
    await sql`insert into ledger_entries (idx, receipt_id, leaf, leaf_hash, entry_type, entry_time, zone, actor, subject,
                                         payload, salt, readers)
      select e.idx, e.receipt_id, decode(e.leaf, 'base64'), decode(e.leaf_hash, 'base64'), e.entry_type, e.entry_time,
             e.zone, e.actor, e.subject, e.payload, decode(e.salt, 'base64'), array(select jsonb_array_elements_text(e.readers))
      from jsonb_to_recordset(${json}::jsonb) as e(idx bigint, receipt_id text, leaf text, leaf_hash text, entry_type text,
           entry_time text, zone text, actor text, subject text, payload text, salt text, readers jsonb)`.execute(tx);
  }
}

export async function insertNodes(
  tx: Tx,
  rows: ReadonlyArray<{ level: number; idx: number; hash: Buffer }>,
): Promise<void> {
  for (let i = 0; i < rows.length; i += 10000) {
    const json = JSON.stringify(
      rows.slice(i, i + 10000).map((r) => ({ level: r.level, idx: r.idx, hash: r.hash.toString('base64') })),
    );
    await sql`insert into ledger_nodes (level, idx, hash)
      select n.level, n.idx, decode(n.hash, 'base64')
      from jsonb_to_recordset(${json}::jsonb) as n(level smallint, idx bigint, hash text)`.execute(tx);
  }
}

export async function insertCheckpoint(tx: Tx, row: { size: number; root_hash: Buffer; note: string }): Promise<void> {
  await tx.insertInto('ledger_checkpoints').values(row).execute();
}

export async function logSize(tx: Tx): Promise<number> {
  const row = await tx
    .selectFrom('ledger_entries')
    .select((eb) => eb.fn.max('idx').as('max'))
    .executeTakeFirst();
  return row?.max === null || row?.max === undefined ? 0 : Number(row.max) + 1;
}

// Two array parameters keep the statement text the same whatever nodes are asked for.
const nodesById = (ids: readonly NodeId[]) => sql`
  select n.level, n.idx, n.hash
  from unnest(${ids.map((n) => n.level)}::smallint[], ${ids.map((n) => n.index)}::bigint[]) as want(level, idx)
  join ledger_nodes n on n.level = want.level and n.idx = want.idx`;

/** Stored subtree hashes by node id, fetched in one query. */
export async function findNodes(tx: Tx, ids: readonly NodeId[]): Promise<Map<string, Buffer>> {
  if (ids.length === 0) return new Map();
  const result = await sql<{ level: number; idx: number; hash: Buffer }>`${nodesById(ids)}`.execute(tx);
  return new Map(result.rows.map((r) => [`${r.level}:${r.idx}`, r.hash]));
}

export function latestCheckpoint(tx: Tx) {
  return tx.selectFrom('ledger_checkpoints').selectAll().orderBy('size', 'desc').limit(1).executeTakeFirst();
}

export function findCheckpoints(tx: Tx, afterSize: number, limit: number) {
  return tx
    .selectFrom('ledger_checkpoints')
    .selectAll()
    .where('size', '>', afterSize)
    .orderBy('size')
    .limit(limit)
    .execute();
}

/** A leaf of the log: its index, bytes and hash (the public part; no payload, salt or readers). */
export function findEntry(tx: Tx, index: number) {
  return tx
    .selectFrom('ledger_entries')
    .select(['idx', 'leaf', 'leaf_hash'])
    .where('idx', '=', index)
    .executeTakeFirst();
}

export interface ReceiptRow {
  readonly idx: number;
  readonly receipt_id: string;
  readonly leaf: Buffer;
  readonly leaf_hash: Buffer;
  readonly entry_type: string;
  readonly entry_time: string;
  readonly zone: string;
  readonly actor: string;
  readonly subject: string;
  readonly payload: string;
  readonly salt: Buffer;
}

/**
 * A receipt's full entry for a reader: every receipt (auditors, internal zone only), or one naming one of the
 * principals — read through `ledger_receipt_for`, the narrow path the public role has to payloads (migration 0015).
 * `pending`: the entry is queued for a reader it names and not yet in the log.
 */
export async function findReceipt(
  tx: Tx,
  receiptId: string,
  reader: { readonly all: boolean; readonly principals: readonly string[] },
): Promise<{ row?: ReceiptRow; pending: boolean }> {
  if (reader.all) {
    const row = await tx
      .selectFrom('ledger_entries')
      .selectAll()
      .where('receipt_id', '=', receiptId)
      .executeTakeFirst();
    if (row) return { row, pending: false };
    const queued = await tx
      .selectFrom('ledger_queue')
      .select('receipt_id') // the internal role may read a queued entry's receipt id and readers, nothing else
      .where('receipt_id', '=', receiptId)
      .executeTakeFirst();
    return { pending: queued !== undefined };
  }
  const result = await sql<ReceiptRow & { pending: boolean }>`
    select * from ledger_receipt_for(${receiptId}, ${[...reader.principals]}::text[])`.execute(tx);
  const first = result.rows[0];
  if (!first) return { pending: false };
  if (first.pending) return { pending: true };
  const { pending: _p, ...row } = first;
  return { row, pending: false };
}

export function findEntriesFrom(tx: Tx, fromIndex: number, limit: number) {
  return tx
    .selectFrom('ledger_entries')
    .selectAll()
    .where('idx', '>=', fromIndex)
    .orderBy('idx')
    .limit(limit)
    .execute();
}

/** The latest receipts a reader is named on, through `ledger_receipts_of` (the public role reads no `readers`). */
export async function findEntriesForReader(tx: Tx, reader: string, limit: number) {
  const result = await sql<{
    idx: number;
    receipt_id: string;
    entry_type: string;
    entry_time: string;
    subject: string;
  }>`
    select * from ledger_receipts_of(${reader}, ${limit})`.execute(tx);
  return result.rows;
}

/** All stored nodes whose subtree overlaps leaves [from, to), every level, in one range query. */
export async function findNodesOverlapping(tx: Tx, from: number, to: number): Promise<Map<string, Buffer>> {
  const result = await sql<{ level: number; idx: number; hash: Buffer }>`
    select level, idx, hash from ledger_nodes
    where idx between (${from}::bigint >> level) and ((${to}::bigint - 1) >> level)`.execute(tx);
  return new Map(result.rows.map((r) => [`${r.level}:${r.idx}`, r.hash]));
}

/** The latest checkpoint size and the requested stored nodes, in one round trip (proof requests). */
export async function findNodesAndLatestSize(
  tx: Tx,
  ids: readonly NodeId[],
): Promise<{ latest: number; nodes: Map<string, Buffer> }> {
  const result = await sql<{ level: number; idx: number | null; hash: Buffer | null }>`
    select -1 as level, max(size) as idx, null::bytea as hash from ledger_checkpoints
    union all ${nodesById(ids)}`.execute(tx);
  let latest = 0;
  const nodes = new Map<string, Buffer>();
  for (const r of result.rows) {
    if (r.level === -1) latest = r.idx ?? 0;
    else if (r.hash) nodes.set(`${r.level}:${r.idx}`, r.hash);
  }
  return { latest, nodes };
}

/** The one writer of a batch: held until the transaction ends (another instance's writer waits). */
export async function lockBatch(tx: Tx): Promise<void> {
  await sql`select pg_advisory_xact_lock(${LOCKS.ledgerBatch})`.execute(tx);
}

/** For operators: entries waiting for the integrator, the oldest one's time, and the signed log's size. */
export async function queueStatus(tx: Tx): Promise<{ queued: number; oldest: string | null; size: number }> {
  const r = await sql<{ queued: number; oldest: string | null; size: number }>`
    select (select count(*)::int from ledger_queue) as queued,
           (select min(entry_time) from ledger_queue) as oldest,
           (select coalesce(max(size), 0) from ledger_checkpoints) as size`.execute(tx);
  const row = r.rows[0];
  return { queued: Number(row?.queued ?? 0), oldest: row?.oldest ?? null, size: Number(row?.size ?? 0) };
}
