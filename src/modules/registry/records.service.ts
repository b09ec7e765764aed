// registry use cases for records: validated writes, every change a new version (history and "as of" reads), soft
// deletes with a reason, unique keys, optimistic concurrency, keyset pages. Each change is a ledger entry holding a
// digest of the data, never the data.
import { createHash } from 'node:crypto';
import type { RawBuilder } from 'kysely';
import type { Db, Tx } from '../../platform/db.ts';
import { AppError, conflict, notFound } from '../../platform/errors.ts';
import type { StaffActor } from '../org/index.ts';
import { codeListProblems } from './code-lists.ts';
import * as qualityStore from './quality.store.ts';
import { validateRecord } from './record-schema.ts';
import { canReadRecords, canWriteRecords } from './registry.policy.ts';
import type { Field, Metadata, RecordView } from './registry.schemas.ts';
import { type Actor, actorId, type RegistryDeps } from './registry.service.ts';
import * as store from './registry.store.ts';

type Data = Record<string, unknown>;

const digest = (data: unknown) => createHash('sha256').update(JSON.stringify(data)).digest('base64');

const toView = (row: store.RecordRow): RecordView => ({
  id: row.id,
  version: row.version,
  data: row.data as Data,
  deleted: row.deleted,
  deleteReason: row.delete_reason,
  updatedAt: row.updated_at.toISOString(),
});

interface LoadedRegister {
  readonly row: store.RegisterRow;
  readonly fields: readonly Field[];
}

async function loadRegister(tx: Tx, code: string, allowed: (departmentId: number) => boolean): Promise<LoadedRegister> {
  const row = await store.findRegisterByCode(tx, code);
  if (!row || !allowed(row.department_id)) throw notFound('register');
  return { row, fields: (row.metadata as Metadata).fields };
}

async function checkData(tx: Tx, reg: LoadedRegister, data: Data): Promise<void> {
  const problems = validateRecord(`${reg.row.id}:${reg.row.version}`, reg.fields, data);
  const first = problems[0];
  if (first)
    throw new AppError('record.invalid', 400, `${first.field}: ${first.message}`, {
      field: first.field,
      issues: problems,
    });
  const [missing] = await codeListProblems(tx, reg.fields, [data]);
  if (missing) {
    const field = `/data/${missing.field.code}`;
    throw new AppError(
      'record.invalid',
      400,
      `${field}: '${missing.value}' is not in code list ${missing.field.codeList}`,
      { field },
    );
  }
}

const uniqueValues = (fields: readonly Field[], data: Data) =>
  fields
    .filter((f) => f.unique && data[f.code] !== undefined)
    .map((f) => ({ field: f.code, value: String(data[f.code]) }));

async function claimUnique(tx: Tx, reg: LoadedRegister, recordId: number, data: Data): Promise<void> {
  const taken = await store.claimUniqueValues(tx, reg.row.id, recordId, uniqueValues(reg.fields, data));
  if (taken) {
    throw conflict('record.duplicate', `Another record already has this ${taken}`, { field: `/data/${taken}` });
  }
}

async function record(
  deps: Pick<RegistryDeps, 'ledger'>,
  tx: Tx,
  actor: Actor,
  reg: LoadedRegister,
  row: store.RecordRow,
  op: 'created' | 'updated' | 'deleted',
) {
  await qualityStore.markQualityDirty(tx, reg.row.id);
  await deps.ledger.append(tx, {
    type: `registry.record.${op}`,
    actor: actorId(actor),
    subject: `record:${reg.row.code}:${row.id}`,
    payload: {
      register: reg.row.code,
      recordId: row.id,
      version: row.version,
      dataDigest: digest(row.data),
      deleted: row.deleted,
    },
    readers: actor === 'system' ? [] : [actorId(actor)],
  });
}

const canWrite = (actor: Actor) => (departmentId: number) => actor === 'system' || canWriteRecords(actor, departmentId);

/** Adds a record after validating it against the register's fields. */
export async function createRecord(deps: RegistryDeps, actor: Actor, code: string, data: Data): Promise<RecordView> {
  return deps.db.transaction((tx) => createRecordIn(deps, tx, actor, code, data));
}

/** The same, inside a caller's transaction (a module above that records its own step with it, e.g. a licence). */
export async function createRecordIn(
  deps: Pick<RegistryDeps, 'ledger'>,
  tx: Tx,
  actor: Actor,
  code: string,
  data: Data,
): Promise<RecordView> {
  const reg = await loadRegister(tx, code, canWrite(actor));
  await checkData(tx, reg, data);
  const row = await store.insertRecord(tx, { register_id: reg.row.id, data, updated_by: actorId(actor) });
  await claimUnique(tx, reg, row.id, data);
  await record(deps, tx, actor, reg, row, 'created');
  return toView(row);
}

/** The code of the first register of a base library (e.g. the 电子证照 register), if any. */
export async function registerOfBaseLibrary(tx: Tx, baseLibrary: string): Promise<string | undefined> {
  const rows = await store.findRegisters(tx, { publicOnly: false, baseLibrary });
  return rows.sort((a, b) => a.id - b.id)[0]?.code;
}

async function change(
  deps: RegistryDeps,
  actor: StaffActor,
  code: string,
  id: number,
  expectedVersion: number,
  apply: (
    tx: Tx,
    reg: LoadedRegister,
    current: store.RecordRow,
  ) => Promise<{ data: Data; deleted: boolean; reason: string | null }>,
): Promise<RecordView> {
  return deps.db.transaction(async (tx) => {
    const reg = await loadRegister(tx, code, canWrite(actor));
    const current = await store.findRecord(tx, reg.row.id, id);
    if (!current) throw notFound('record');
    if (current.deleted)
      throw conflict('record.deleted', 'This record was deleted; it can be read but no longer changed');
    const next = await apply(tx, reg, current);
    const updated = await store.updateRecord(tx, reg.row.id, id, expectedVersion, {
      data: next.data,
      deleted: next.deleted,
      delete_reason: next.reason,
      updated_by: actorId(actor),
    });
    if (!updated) {
      throw conflict(
        'record.version_conflict',
        `The record changed since version ${expectedVersion}; reload it and apply your change again`,
        {
          currentVersion: current.version,
        },
      );
    }
    await store.archiveCurrentVersion(tx, current);
    await store.releaseUniqueValues(tx, id);
    if (!next.deleted) await claimUnique(tx, reg, id, next.data);
    await record(deps, tx, actor, reg, updated, next.deleted ? 'deleted' : 'updated');
    return toView(updated);
  });
}

/** Replaces a record's data (validated whole) if it is still at `expectedVersion`; else 409. */
export function updateRecord(
  deps: RegistryDeps,
  actor: StaffActor,
  code: string,
  id: number,
  expectedVersion: number,
  data: Data,
) {
  return change(deps, actor, code, id, expectedVersion, async (tx, reg) => {
    await checkData(tx, reg, data);
    return { data, deleted: false, reason: null };
  });
}

/** Soft-deletes a record with a reason; its history stays readable and its unique keys are freed. */
export function deleteRecord(
  deps: RegistryDeps,
  actor: StaffActor,
  code: string,
  id: number,
  expectedVersion: number,
  reason: string,
) {
  return change(deps, actor, code, id, expectedVersion, async (_tx, _reg, current) => ({
    data: current.data as Data,
    deleted: true,
    reason,
  }));
}

const canRead = (actor: StaffActor) => (departmentId: number) => canReadRecords(actor, departmentId);

/** A record now, or as it was at `asOf`. */
export async function getRecord(
  deps: RegistryDeps,
  actor: StaffActor,
  code: string,
  id: number,
  asOf?: Date,
): Promise<RecordView> {
  return deps.db.transaction(async (tx) => {
    const reg = await loadRegister(tx, code, canRead(actor));
    const row = await store.findRecord(tx, reg.row.id, id);
    if (!row) throw notFound('record');
    if (!asOf || asOf >= row.updated_at) return toView(row);
    const version = await store.findRecordVersionAt(tx, id, asOf);
    if (!version) throw new AppError('record.not_found', 404, 'The record did not exist at that time');
    return {
      id,
      version: version.version,
      data: version.data as Data,
      deleted: version.op === 'delete',
      deleteReason: version.op === 'delete' ? version.reason : null,
      updatedAt: version.valid_from.toISOString(),
    };
  });
}

export async function recordHistory(deps: RegistryDeps, actor: StaffActor, code: string, id: number) {
  return deps.db.transaction(async (tx) => {
    const reg = await loadRegister(tx, code, canRead(actor));
    const current = await store.findRecord(tx, reg.row.id, id);
    if (!current) throw notFound('record');
    const past = (await store.findRecordVersions(tx, id)).map((v) => ({
      version: v.version,
      op: v.op,
      data: v.data as Data,
      reason: v.reason,
      actor: v.actor,
      validFrom: v.valid_from.toISOString(),
      validTo: v.valid_to.toISOString() as string | null,
    }));
    past.push({
      version: current.version,
      op: current.deleted ? 'delete' : current.version === 1 ? 'create' : 'update',
      data: current.data as Data,
      reason: current.delete_reason,
      actor: current.updated_by,
      validFrom: current.updated_at.toISOString(),
      validTo: null,
    });
    return past;
  });
}

/** A typed filter value for a field: numbers and booleans compare as JSON numbers and booleans. */
export function filterValue(field: Field, raw: string): unknown {
  if (field.type === 'integer' || field.type === 'decimal') {
    const n = Number(raw);
    if (!Number.isFinite(n))
      throw new AppError('validation.failed', 400, `${field.code} is a number`, { field: '/value' });
    return n;
  }
  if (field.type === 'boolean') {
    if (raw !== 'true' && raw !== 'false')
      throw new AppError('validation.failed', 400, `${field.code} is true or false`, { field: '/value' });
    return raw === 'true';
  }
  return raw;
}

/** A keyset page of records (`after` = the last id of the previous page), optionally filtered by one field's value. */
export async function listRecords(
  deps: RegistryDeps,
  actor: StaffActor,
  code: string,
  q: {
    after?: number | undefined;
    limit?: number | undefined;
    field?: string | undefined;
    value?: string | undefined;
    includeDeleted?: boolean | undefined;
  },
) {
  return deps.db.transaction(async (tx) => {
    const reg = await loadRegister(tx, code, canRead(actor));
    let filter: Record<string, unknown> | undefined;
    let field: Field | undefined;
    if (q.field !== undefined || q.value !== undefined) {
      field = reg.fields.find((f) => f.code === q.field);
      if (!field || q.value === undefined) {
        throw new AppError('validation.failed', 400, 'Filter with an existing field code and a value', {
          field: field ? '/value' : '/field',
        });
      }
      filter = { [field.code]: filterValue(field, q.value) };
    }
    const limit = q.limit ?? 50;
    const page = { registerId: reg.row.id, after: q.after ?? 0, limit, includeDeleted: q.includeDeleted ?? false };
    const rows =
      field?.unique && filter
        ? // Unique keys are stored as text (String(value)); look them up in their own index.
          await store.findRecordPageByUnique(tx, { ...page, field: field.code, value: String(filter[field.code]) })
        : await store.findRecordPage(tx, { ...page, ...(filter ? { filter } : {}) });
    return { records: rows.map(toView), next: rows.length === limit ? (rows.at(-1)?.id ?? null) : null };
  });
}

// ---- for modules above the registry that authorize on their own (the exchange), in their transaction ----

export interface RegisterFacts {
  readonly id: number;
  readonly code: string;
  readonly version: number;
  readonly departmentId: number;
  readonly name: string;
  readonly sharing: Metadata['sharing'];
  /** The open attribute (开放属性): whether, and how, its data may be opened to society. */
  readonly open: Metadata['open'];
  readonly updateCycle: Metadata['updateCycle'];
  readonly fields: readonly Field[];
}

/** A register's code, provider, sharing and fields, by code or by id. */
export async function registerFacts(tx: Tx, key: string | number): Promise<RegisterFacts | undefined> {
  const row = typeof key === 'string' ? await store.findRegisterByCode(tx, key) : await store.findRegisterById(tx, key);
  if (!row) return undefined;
  const m = row.metadata as Metadata;
  return {
    id: row.id,
    code: row.code,
    version: row.version,
    departmentId: row.department_id,
    name: m.name,
    sharing: m.sharing,
    open: m.open,
    updateCycle: m.updateCycle,
    fields: m.fields,
  };
}

/**
 * A keyset page of live records where every field in `where` equals its value (values typed by `filterValue`);
 * a unique field among them is looked up in its own index.
 */
export async function findRecordsWhere(
  tx: Tx,
  reg: RegisterFacts,
  q: { after: number; limit: number; where: Readonly<Record<string, unknown>> },
): Promise<RecordView[]> {
  const page = { registerId: reg.id, after: q.after, limit: q.limit, includeDeleted: false };
  const where = Object.keys(q.where).length > 0 ? { ...q.where } : undefined;
  const unique = where && reg.fields.find((f) => f.unique && f.code in where);
  const rows = unique
    ? await store.findRecordPageByUnique(tx, {
        ...page,
        field: unique.code,
        value: String(where[unique.code]),
        filter: where,
      })
    : await store.findRecordPage(tx, { ...page, ...(where ? { filter: where } : {}) });
  return rows.map(toView);
}

/** The data of a record at one version (current or superseded), or undefined when that version is gone. */
export async function recordAtVersion(
  tx: Tx,
  registerId: number,
  recordId: number,
  version: number,
): Promise<RecordView | undefined> {
  const row = await store.findRecord(tx, registerId, recordId);
  if (!row) return undefined;
  if (row.version === version) return toView(row);
  const past = (await store.findRecordVersions(tx, recordId)).find((v) => v.version === version);
  if (!past) return undefined;
  return {
    id: recordId,
    version,
    data: past.data as Data,
    deleted: past.op === 'delete',
    deleteReason: past.reason,
    updatedAt: past.valid_from.toISOString(),
  };
}

/**
 * The same page as `findRecordsWhere`, as one SQL expression yielding a JSON array, for a caller that evaluates it
 * inside a statement of its own (the exchange reads records in its first and only read). Parse with `parseRecordsJson`.
 */
export function recordsWhereSql(
  reg: RegisterFacts,
  q: { after: number; limit: number; where: Readonly<Record<string, unknown>> },
): RawBuilder<unknown> {
  const where = Object.keys(q.where).length > 0 ? q.where : undefined;
  const unique = where ? reg.fields.find((f) => f.unique && f.code in q.where) : undefined;
  return store.recordsPageJsonSql({
    registerId: reg.id,
    after: q.after,
    limit: q.limit,
    ...(where ? { where } : {}),
    ...(unique ? { unique: { field: unique.code, value: String(q.where[unique.code]) } } : {}),
  });
}

/** Record views from `recordsWhereSql`'s JSON (PGlite and pg both parse json; dates arrive as text). */
export function parseRecordsJson(value: unknown): RecordView[] {
  const rows = (typeof value === 'string' ? JSON.parse(value) : value) as Array<{
    id: number;
    version: number;
    data: Data;
    updatedAt: string;
  }>;
  return rows.map((r) => ({
    id: Number(r.id),
    version: r.version,
    data: r.data,
    deleted: false,
    deleteReason: null,
    updatedAt: new Date(r.updatedAt).toISOString(),
  }));
}

/** The codes of the registers some departments provide. */
export async function registerCodesOf(tx: Tx, departmentIds: readonly number[]): Promise<string[]> {
  return store.findRegisterCodesOf(tx, departmentIds);
}

/**
 * A page of current records across every register, for readers that keep their own copy (the internal search
 * index). Runs under the caller's role; who may see which record is the reader's to enforce (`canReadRecords`).
 */
export async function recordsForIndex(
  db: Db,
  page: { after: number; limit: number; ids?: readonly number[]; until?: number },
): Promise<{ id: number; registerId: number; data: Data; deleted: boolean }[]> {
  const rows = await db.read((tx) => store.findRecordsAfter(tx, page));
  return rows.map((r) => ({ id: r.id, registerId: r.register_id, data: r.data as Data, deleted: r.deleted }));
}
