// registry SQL: registers with versioned metadata, records with versions and unique values.
import { type ColumnType, type Generated, type Selectable, sql } from 'kysely';
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
interface RegisterQualityTable {
  register_id: number;
  score: number;
  details: Json;
  computed_at: Generated<Date>;
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
    register_quality: RegisterQualityTable;
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
) {
  return tx
    .updateTable('registers')
    .set({ ...row, version: expectedVersion + 1, updated_at: new Date() })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .returningAll()
    .executeTakeFirst();
}

export function findRegisterByCode(tx: Tx, code: string) {
  return tx.selectFrom('registers').selectAll().where('code', '=', code).executeTakeFirst();
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

// ---- objections (数据异议) ----

interface ObjectionsTable {
  id: Generated<number>;
  register_id: number;
  record_id: number;
  raised_by: number;
  raised_by_department: number;
  reason: string;
  status: Generated<'open' | 'answered' | 'corrected'>;
  due_at: Date;
  answer: string | null;
  answered_by: number | null;
  answered_at: Date | null;
  created_at: Generated<Date>;
}

declare module '../../platform/db.ts' {
  interface Database {
    objections: ObjectionsTable;
  }
}

export type ObjectionRow = Selectable<ObjectionsTable>;

export function insertObjection(
  tx: Tx,
  row: {
    register_id: number;
    record_id: number;
    raised_by: number;
    raised_by_department: number;
    reason: string;
    due_at: Date;
  },
) {
  return tx.insertInto('objections').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findObjection(tx: Tx, id: number) {
  return tx.selectFrom('objections').selectAll().where('id', '=', id).executeTakeFirst();
}

export function answerObjection(
  tx: Tx,
  id: number,
  row: { status: 'answered' | 'corrected'; answer: string; answered_by: number },
) {
  return tx
    .updateTable('objections')
    .set({ ...row, answered_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .returningAll()
    .executeTakeFirst();
}

export function findObjections(
  tx: Tx,
  filter: { registerIds?: readonly number[]; raisedByDepartment?: number; status?: string; overdueAt?: Date },
) {
  let q = tx
    .selectFrom('objections as o')
    .innerJoin('registers as r', 'r.id', 'o.register_id')
    .selectAll('o')
    .select(['r.code as register_code', 'r.department_id as provider_department_id'])
    .orderBy('o.due_at')
    .limit(500);
  if (filter.registerIds || filter.raisedByDepartment !== undefined) {
    q = q.where((eb) =>
      eb.or([
        ...(filter.registerIds?.length ? [eb('o.register_id', 'in', filter.registerIds)] : []),
        ...(filter.raisedByDepartment !== undefined
          ? [eb('o.raised_by_department', '=', filter.raisedByDepartment)]
          : []),
        eb.val(false),
      ]),
    );
  }
  if (filter.status) q = q.where('o.status', '=', filter.status as 'open');
  if (filter.overdueAt) q = q.where('o.status', '=', 'open').where('o.due_at', '<', filter.overdueAt);
  return q.execute();
}

export function findRegisterIdsOfDepartments(tx: Tx, departmentIds: readonly number[]) {
  if (departmentIds.length === 0) return Promise.resolve([] as Array<{ id: number }>);
  return tx.selectFrom('registers').select('id').where('department_id', 'in', departmentIds).execute();
}

// ---- quality ----

/** Records changed: the quality score must be recomputed before it is shown again. */
export async function markQualityDirty(tx: Tx, registerId: number): Promise<void> {
  await tx
    .updateTable('registers')
    .set({ quality_dirty: true })
    .where('id', '=', registerId)
    .where('quality_dirty', '=', false)
    .execute();
}

export function findQuality(tx: Tx, registerId: number) {
  return tx.selectFrom('register_quality').selectAll().where('register_id', '=', registerId).executeTakeFirst();
}

export async function saveQuality(
  tx: Tx,
  registerId: number,
  score: number,
  details: Record<string, unknown>,
): Promise<void> {
  await tx
    .insertInto('register_quality')
    .values({ register_id: registerId, score, details })
    .onConflict((oc) => oc.column('register_id').doUpdateSet({ score, details, computed_at: sql<Date>`now()` }))
    .execute();
  await tx.updateTable('registers').set({ quality_dirty: false }).where('id', '=', registerId).execute();
}

/** How many live records have each field filled, in one pass. */
export async function fieldFillCounts(
  tx: Tx,
  registerId: number,
  fields: readonly string[],
): Promise<{ total: number; filled: Record<string, number> }> {
  const counts = sql.join(fields.map((f, i) => sql`count(*) filter (where data ? ${f}) as ${sql.id(`f${i}`)}`));
  const result = await sql<Record<string, number>>`
    select count(*) as total${fields.length ? sql`, ${counts}` : sql``} from records where register_id = ${registerId} and not deleted`.execute(
    tx,
  );
  const row = result.rows[0] ?? {};
  return {
    total: Number(row.total ?? 0),
    filled: Object.fromEntries(fields.map((f, i) => [f, Number(row[`f${i}`] ?? 0)])),
  };
}

export async function countRecordsWithOpenObjections(tx: Tx, registerId: number): Promise<number> {
  const r = await sql<{
    n: number;
  }>`select count(distinct record_id) as n from objections where register_id = ${registerId} and status = 'open'`.execute(
    tx,
  );
  return Number(r.rows[0]?.n ?? 0);
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
