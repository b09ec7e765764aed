// registry SQL: registers with versioned metadata, records with versions and unique values.
import { type ColumnType, type Generated, type RawBuilder, type Selectable, sql } from 'kysely';
import type { Tx } from '../../platform/db.ts';

/** jsonb: objects in (both drivers JSON-encode them), parsed values out. */
type Json = ColumnType<unknown, Record<string, unknown>, Record<string, unknown>>;
type JsonIn = Record<string, unknown>;

interface RegistersTable {
  id: Generated<number>;
  code: string;
  department_id: number;
  version: Generated<number>;
  visibility: 'public' | 'internal';
  metadata: Json;
  quality_dirty: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
interface RegisterVersionsTable {
  register_id: number;
  version: number;
  metadata: Json;
  changed_by: string;
  changed_at: Generated<Date>;
}
interface RegisterCodeSequencesTable {
  prefix: string;
  last: number;
}
interface RecordsTable {
  id: Generated<number>;
  register_id: number;
  version: Generated<number>;
  data: Json;
  deleted: Generated<boolean>;
  delete_reason: string | null;
  updated_by: string;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
interface RecordVersionsTable {
  record_id: number;
  version: number;
  op: 'create' | 'update' | 'delete';
  data: Json;
  reason: string | null;
  actor: string;
  valid_from: Date;
  valid_to: Date;
}
interface RecordUniqueValuesTable {
  register_id: number;
  field: string;
  value: string;
  record_id: number;
}

declare module '../../platform/db.ts' {
  interface Database {
    registers: RegistersTable;
    register_versions: RegisterVersionsTable;
    register_code_sequences: RegisterCodeSequencesTable;
    records: RecordsTable;
    record_versions: RecordVersionsTable;
    record_unique_values: RecordUniqueValuesTable;
  }
}

export type RegisterRow = Selectable<RegistersTable>;
export type RecordRow = Selectable<RecordsTable>;
export type RecordVersionRow = Selectable<RecordVersionsTable>;

/** The next sequence number for a code prefix, allocated under the row's lock (contiguous per prefix). */
export async function nextSequence(tx: Tx, prefix: string): Promise<number> {
  const result = await sql<{ last: number }>`
    insert into register_code_sequences (prefix, last) values (${prefix}, 1)
    on conflict (prefix) do update set last = register_code_sequences.last + 1
    returning last`.execute(tx);
  return result.rows[0]?.last ?? 1;
}

export function insertRegister(
  tx: Tx,
  row: { code: string; department_id: number; visibility: 'public' | 'internal'; metadata: JsonIn },
) {
  return tx.insertInto('registers').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function insertRegisterVersion(
  tx: Tx,
  row: { register_id: number; version: number; metadata: JsonIn; changed_by: string },
) {
  await tx.insertInto('register_versions').values(row).execute();
}

/** Writes new metadata if the register is still at `expectedVersion`; undefined when someone else changed it first. */
export function updateRegister(
  tx: Tx,
  id: number,
  expectedVersion: number,
  row: { visibility: 'public' | 'internal'; metadata: JsonIn },
  at: Date,
) {
  return tx
    .updateTable('registers')
    .set({ ...row, version: expectedVersion + 1, updated_at: at })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .returningAll()
    .executeTakeFirst();
}

export function findRegisterByCode(tx: Tx, code: string) {
  return tx.selectFrom('registers').selectAll().where('code', '=', code).executeTakeFirst();
}

export function findRegisterById(tx: Tx, id: number) {
  return tx.selectFrom('registers').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The codes of the registers some departments provide. */
export async function findRegisterCodesOf(tx: Tx, departmentIds: readonly number[]): Promise<string[]> {
  if (departmentIds.length === 0) return [];
  const rows = await tx.selectFrom('registers').select('code').where('department_id', 'in', departmentIds).execute();
  return rows.map((r) => r.code);
}

export function findRegisters(
  tx: Tx,
  filter: {
    departmentId?: number;
    publicOnly: boolean;
    baseLibrary?: string;
    sharingType?: string;
    attribute?: string;
  },
) {
  let q = tx.selectFrom('registers').selectAll().orderBy('code');
  if (filter.publicOnly) q = q.where('visibility', '=', 'public');
  if (filter.departmentId !== undefined) q = q.where('department_id', '=', filter.departmentId);
  if (filter.baseLibrary) q = q.where(sql<boolean>`metadata->>'baseLibrary' = ${filter.baseLibrary}`);
  if (filter.sharingType) q = q.where(sql<boolean>`metadata->'sharing'->>'type' = ${filter.sharingType}`);
  if (filter.attribute) q = q.where(sql<boolean>`metadata->>'attribute' = ${filter.attribute}`);
  return q.execute();
}

export function findRegisterVersions(tx: Tx, registerId: number) {
  return tx
    .selectFrom('register_versions')
    .selectAll()
    .where('register_id', '=', registerId)
    .orderBy('version', 'desc')
    .execute();
}

// ---- records ----

export function insertRecord(tx: Tx, row: { register_id: number; data: JsonIn; updated_by: string }) {
  return tx.insertInto('records').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Optimistic write: applies only if the record is still at `expectedVersion`. */
export function updateRecord(
  tx: Tx,
  registerId: number,
  id: number,
  expectedVersion: number,
  row: { data: JsonIn; deleted?: boolean; delete_reason?: string | null; updated_by: string },
) {
  return tx
    .updateTable('records')
    .set({ ...row, version: expectedVersion + 1, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('register_id', '=', registerId)
    .where('version', '=', expectedVersion)
    .returningAll()
    .executeTakeFirst();
}

export function findRecord(tx: Tx, registerId: number, id: number) {
  return tx
    .selectFrom('records')
    .selectAll()
    .where('id', '=', id)
    .where('register_id', '=', registerId)
    .executeTakeFirst();
}

/** A keyset page of the records whose unique field has a value: a lookup in the unique-key index. */
export function findRecordPageByUnique(
  tx: Tx,
  q: {
    registerId: number;
    field: string;
    value: string;
    after: number;
    limit: number;
    includeDeleted: boolean;
    filter?: Record<string, unknown>;
  },
) {
  let query = tx
    .selectFrom('record_unique_values as u')
    .innerJoin('records as r', 'r.id', 'u.record_id')
    .selectAll('r')
    .where('u.register_id', '=', q.registerId)
    .where('u.field', '=', q.field)
    .where('u.value', '=', q.value)
    .where('r.id', '>', q.after)
    .orderBy('r.id')
    .limit(q.limit);
  if (!q.includeDeleted) query = query.where('r.deleted', '=', false);
  if (q.filter) query = query.where(sql<boolean>`r.data @> ${q.filter}::jsonb`);
  return query.execute();
}

/** A keyset page of records, optionally where one field equals a value (served by the GIN index on data). */
export function findRecordPage(
  tx: Tx,
  q: { registerId: number; after: number; limit: number; filter?: Record<string, unknown>; includeDeleted: boolean },
) {
  let query = tx
    .selectFrom('records')
    .selectAll()
    .where('register_id', '=', q.registerId)
    .where('id', '>', q.after)
    .orderBy('id')
    .limit(q.limit);
  if (!q.includeDeleted) query = query.where('deleted', '=', false);
  if (q.filter) query = query.where(sql<boolean>`data @> ${q.filter}::jsonb`);
  return query.execute();
}

/** Current records across registers in id order, or the given ones (deleted included, so a reader can drop them). */
export function findRecordsAfter(tx: Tx, q: { after: number; limit: number; ids?: readonly number[]; until?: number }) {
  let query = tx
    .selectFrom('records')
    .select(['id', 'register_id', 'data', 'deleted'])
    .where('id', '>', q.after)
    .orderBy('id')
    .limit(q.limit);
  if (q.ids) query = query.where('id', 'in', q.ids.length ? [...q.ids] : [0]);
  if (q.until !== undefined) query = query.where('id', '<=', q.until);
  return query.execute();
}

/**
 * Moves the current version of a record to history, valid until now (the transaction's time, which is also the
 * `updated_at` of the version that replaces it).
 */
export async function archiveCurrentVersion(tx: Tx, current: RecordRow): Promise<void> {
  await sql`
    insert into record_versions (record_id, version, op, data, reason, actor, valid_from, valid_to)
    values (${current.id}, ${current.version}, ${current.version === 1 ? 'create' : 'update'}, ${current.data as JsonIn}::jsonb,
            null, ${current.updated_by}, ${current.updated_at}, now())`.execute(tx);
}

export function findRecordVersions(tx: Tx, recordId: number) {
  return tx.selectFrom('record_versions').selectAll().where('record_id', '=', recordId).orderBy('version').execute();
}

/** The superseded version that was current at `at`, if any. */
export function findRecordVersionAt(tx: Tx, recordId: number, at: Date) {
  return tx
    .selectFrom('record_versions')
    .selectAll()
    .where('record_id', '=', recordId)
    .where('valid_from', '<=', at)
    .where('valid_to', '>', at)
    .executeTakeFirst();
}

/** Claims unique values for a record; returns the field whose value another record already holds, if any. */
export async function claimUniqueValues(
  tx: Tx,
  registerId: number,
  recordId: number,
  values: ReadonlyArray<{ field: string; value: string }>,
): Promise<string | undefined> {
  for (const v of values) {
    const inserted = await tx
      .insertInto('record_unique_values')
      .values({ register_id: registerId, field: v.field, value: v.value, record_id: recordId })
      .onConflict((oc) => oc.columns(['register_id', 'field', 'value']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) {
      const holder = await tx
        .selectFrom('record_unique_values')
        .select('record_id')
        .where('register_id', '=', registerId)
        .where('field', '=', v.field)
        .where('value', '=', v.value)
        .executeTakeFirst();
      if (holder?.record_id !== recordId) return v.field;
    }
  }
  return undefined;
}

export async function releaseUniqueValues(tx: Tx, recordId: number): Promise<void> {
  await tx.deleteFrom('record_unique_values').where('record_id', '=', recordId).execute();
}

/**
 * A page of live records (by a unique field's index when the filter names one, else by containment), as one SQL
 * expression yielding a JSON array, for a caller that evaluates it inside a statement of its own.
 */
export function recordsPageJsonSql(q: {
  registerId: number;
  after: number;
  limit: number;
  where?: Readonly<Record<string, unknown>>;
  unique?: { field: string; value: string };
}): RawBuilder<unknown> {
  const where = q.where ? JSON.stringify(q.where) : undefined;
  const page = q.unique
    ? sql`select r.id, r.version, r.data, r.updated_at from record_unique_values u join records r on r.id = u.record_id
          where u.register_id = ${q.registerId} and u.field = ${q.unique.field} and u.value = ${q.unique.value}
            and r.id > ${q.after} and not r.deleted and r.data @> ${where}::jsonb
          order by r.id limit ${q.limit}`
    : sql`select r.id, r.version, r.data, r.updated_at from records r
          where r.register_id = ${q.registerId} and r.id > ${q.after} and not r.deleted
            ${where ? sql`and r.data @> ${where}::jsonb` : sql``}
          order by r.id limit ${q.limit}`;
  return sql`(select coalesce(json_agg(json_build_object('id', p.id, 'version', p.version, 'data', p.data,
                'updatedAt', p.updated_at) order by p.id), '[]'::json) from (${page}) p)`;
}

// ---- imports: set-based writes of a batch ----

/** Which record holds each of these values of a unique field (one index probe per value). */
export async function holdersOfUniqueValues(
  tx: Tx,
  registerId: number,
  field: string,
  values: readonly string[],
): Promise<Map<string, number>> {
  // (Inside one long transaction the planner still thinks the table is small and would filter every row of the
  // register on `value = any(…)`: 3 ms → 48 ms per batch by 400,000 rows. A LATERAL subquery with LIMIT cannot be
  // flattened, so each value gets its own index lookup.)
  const found = await sql<{ value: string; record_id: number }>`
    select k.value, h.record_id from unnest(${[...values]}::text[]) as k(value)
    cross join lateral (
      select record_id from record_unique_values u
      where u.register_id = ${registerId} and u.field = ${field} and u.value = k.value limit 1
    ) h`.execute(tx);
  return new Map(found.rows.map((r) => [r.value, r.record_id]));
}

export async function currentData(tx: Tx, ids: readonly number[]): Promise<Array<{ id: number; data: JsonIn }>> {
  const r = await sql<{ id: number; data: JsonIn }>`
    select id, data from records where id = any(${[...ids]}::bigint[])`.execute(tx);
  return r.rows;
}

/** One statement: the new records and their unique values. */
export async function insertRecordsWithUniques(
  tx: Tx,
  registerId: number,
  actor: string,
  rows: readonly JsonIn[],
  uniqueFields: readonly string[],
): Promise<void> {
  await sql`
    with new as (
      insert into records (register_id, data, updated_by)
      select ${registerId}, elem, ${actor} from jsonb_array_elements(${JSON.stringify(rows)}::jsonb) as t(elem)
      returning id, data
    )
    insert into record_unique_values (register_id, field, value, record_id)
    select ${registerId}, f.field, new.data->>f.field, new.id
    from new cross join jsonb_array_elements_text(${JSON.stringify(uniqueFields)}::jsonb) as f(field)
    where new.data ? f.field`.execute(tx);
}

/** Replaces records' data: each current version goes to the history (valid until `now`), unique values follow. */
export async function replaceRecordsKeepingHistory(
  tx: Tx,
  registerId: number,
  actor: string,
  changed: ReadonlyArray<{ id: number; data: JsonIn }>,
  uniqueFields: readonly string[],
  now: Date,
): Promise<void> {
  await sql`
    with input as (
      select (e->>'id')::bigint as id, e->'data' as data from jsonb_array_elements(${JSON.stringify(changed)}::jsonb) as t(e)
    ), archived as (
      insert into record_versions (record_id, version, op, data, reason, actor, valid_from, valid_to)
      select r.id, r.version, case when r.version = 1 then 'create' else 'update' end, r.data, null, r.updated_by,
             r.updated_at, ${now}
      from records r join input on r.id = input.id
    ), upd as (
      update records r set data = input.data, version = r.version + 1, updated_at = ${now}, updated_by = ${actor}
      from input where r.id = input.id and r.register_id = ${registerId}
      returning r.id
    )
    delete from record_unique_values u using upd where u.record_id = upd.id`.execute(tx);
  await sql`
    insert into record_unique_values (register_id, field, value, record_id)
    select ${registerId}, f.field, r.data->>f.field, r.id
    from records r cross join jsonb_array_elements_text(${JSON.stringify(uniqueFields)}::jsonb) as f(field)
    where r.id = any(${changed.map((c) => c.id)}::bigint[]) and r.data ? f.field`.execute(tx);
}

/** Of `values`, those that are not keys (the first unique field) of the code-list register `listRegisterId`. */
export async function missingCodes(
  tx: Tx,
  listRegisterId: number,
  keyField: string,
  values: readonly string[],
): Promise<Set<string>> {
  if (values.length === 0) return new Set();
  const found = await sql<{ value: string }>`
    select k.value from unnest(${[...new Set(values)]}::text[]) as k(value)
    cross join lateral (
      select 1 from record_unique_values u
      where u.register_id = ${listRegisterId} and u.field = ${keyField} and u.value = k.value limit 1
    ) h`.execute(tx);
  const present = new Set(found.rows.map((r) => r.value));
  return new Set(values.filter((v) => !present.has(v)));
}
