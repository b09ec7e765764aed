// Open datasets, the department's side: published from a register's open fields, released as immutable versions
// (each a snapshot of the records, its dictionary, row count, SHA-256 and ledger entry), withdrawn to a tombstone.
// And the readers' side: datasets, their versions and their rows, with conditional ones kept for key holders.
import type { Db, Tx } from '../../platform/db.ts';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.ts';
import { readGeneration } from '../../platform/generation.ts';
import type { ZoneLedger } from '../ledger/index.ts';
import { isPlatformAdmin, readsDepartment, type StaffActor } from '../org/index.ts';
import { findRecordsWhere, type RegisterFacts, registerFacts } from '../registry/index.ts';
import { closedBecause, publishable, sha256OfCsv, type TableSchema, tableSchema } from './dictionary.ts';
import { type FileFormat, Layout } from './downloads.ts';
import type { EditDataset, PublishDataset } from './opendata.schemas.ts';
import { LICENCES, THEMES } from './opendata.schemas.ts';
import * as store from './opendata.store.ts';
import * as usage from './usage.store.ts';

export interface OpendataDeps {
  readonly db: Db;
  readonly ledger: ZoneLedger;
  readonly clock: () => Date;
}

/** The provider department's data officers and admins open its data (谁提供、谁开放); the system for the demo. */
export function canPublish(actor: StaffActor | 'system', departmentId: number): boolean {
  if (actor === 'system') return true;
  return (
    isPlatformAdmin(actor) ||
    actor.roles.some(
      (r) => (r.role === 'data_officer' || r.role === 'department_admin') && r.departmentId === departmentId,
    )
  );
}

export type Actor = StaffActor | 'system';
export const staffId = (a: Actor) => (a === 'system' ? 'system' : `staff:${a.staffId}`);
export const readersOf = (a: Actor) => (a === 'system' ? [] : [staffId(a)]);

/** The fields of a dataset as its register has them now; one graded up since publication no longer leaves. */
function currentFields(reg: RegisterFacts, codes: readonly string[]) {
  return reg.fields.filter((f) => codes.includes(f.code) && !closedBecause(f));
}

/** Every live record of the register, projected to the published fields, in record order. */
async function snapshot(tx: Tx, reg: RegisterFacts, schema: TableSchema): Promise<Array<Record<string, unknown>>> {
  const names = schema.fields.map((f) => f.name);
  const rows: Array<Record<string, unknown>> = [];
  for (let after = 0; ; ) {
    const page = await findRecordsWhere(tx, reg, { after, limit: 1000, where: {} });
    for (const r of page) rows.push(Object.fromEntries(names.map((n) => [n, r.data[n] ?? null])));
    if (page.length < 1000) return rows;
    after = page.at(-1)?.id ?? after;
  }
}

async function release(
  deps: OpendataDeps,
  tx: Tx,
  actor: string,
  dataset: { id: number; name: string; uuid: string; fields: readonly string[]; version: number },
  reg: RegisterFacts,
  note: string | null,
): Promise<store.VersionRow> {
  const fields = currentFields(reg, dataset.fields);
  if (fields.length === 0) throw conflict('opendata.no_fields', 'None of the dataset’s fields may be opened any more');
  const schema = tableSchema(fields);
  return releaseRows(deps, tx, actor, dataset, schema, await snapshot(tx, reg, schema), note);
}

/**
 * Writes a dataset's next version: its rows, dictionary, row count, files' layout and SHA-256, with its ledger entry.
 * The same data as the current version is refused (nothing to release).
 */
export async function releaseRows(
  deps: OpendataDeps,
  tx: Tx,
  actor: string,
  dataset: { id: number; name: string; uuid: string; version: number },
  schema: TableSchema,
  rows: ReadonlyArray<Record<string, unknown>>,
  note: string | null,
): Promise<store.VersionRow> {
  const sha256 = sha256OfCsv(schema, rows);
  const [previous] = (await store.findVersions(tx, [dataset.id])).slice(-1);
  if (previous && previous.sha256 === sha256) {
    throw conflict('opendata.unchanged', 'The data is the same as the current version; nothing to release');
  }
  const version = dataset.version + 1;
  const now = deps.clock();
  const { receiptId } = await deps.ledger.append(tx, {
    type: 'opendata.version.released',
    actor,
    subject: `dataset:${dataset.uuid}`,
    payload: {
      dataset: dataset.name,
      version,
      sha256,
      rowCount: rows.length,
      fields: schema.fields.map((f) => f.name),
    },
  });
  const layout = new Layout(schema);
  for (const r of rows) layout.add(r);
  const row = {
    dataset_id: dataset.id,
    version,
    schema,
    row_count: rows.length,
    sha256,
    note,
    receipt_id: receiptId,
    created_by: actor,
    created_at: now,
    ...layout.sizes,
  };
  await store.insertVersion(tx, row, rows, layout.offsets);
  await store.setCurrentVersion(tx, dataset.id, version, now);
  return { ...row, schema };
}

/** A dataset's licence and theme are from the vocabulary. */
export function checkVocabulary(input: { licenseId: string; theme: string }): void {
  if (!LICENCES.some((l) => l.id === input.licenseId)) {
    throw invalid('/licenseId', `Unknown licence '${input.licenseId}'`, 'opendata.licence');
  }
  if (!THEMES.some((t) => t.name === input.theme))
    throw invalid('/theme', `Unknown theme '${input.theme}'`, 'opendata.theme');
}

/** The description a publisher gives a dataset, as its row has it. */
export function describedBy(input: Omit<PublishDataset, 'register' | 'fields'>) {
  return {
    name: input.name,
    notes: input.notes ?? '',
    theme: input.theme,
    tags: [...new Set(input.tags ?? [])],
    license_id: input.licenseId,
    spatial: input.spatial ?? null,
    temporal_start: input.temporalStart ?? null,
    temporal_end: input.temporalEnd ?? null,
    contact: input.contact ?? null,
  };
}

/** Publishes a register's open fields as a dataset, with its first version. */
export async function publishFromRegister(deps: OpendataDeps, actor: Actor, input: PublishDataset) {
  checkVocabulary(input);
  return afterRelease(
    deps,
    deps.db.transaction(async (tx) => {
      const reg = await registerFacts(tx, input.register);
      if (!reg || !canPublish(actor, reg.departmentId)) throw notFound('register');
      if (reg.open.type === 'closed') {
        throw conflict('opendata.not_open', 'This register is not open (不予开放); none of its data leaves');
      }
      const chosen = input.fields ?? publishable(reg.fields).map((f) => f.code);
      chosen.forEach((code, i) => {
        const field = reg.fields.find((f) => f.code === code);
        if (!field) throw invalid(`/fields/${i}`, `The register has no field '${code}'`, 'opendata.unknown_field');
        const why = closedBecause(field);
        if (why) throw invalid(`/fields/${i}`, `'${code}' may not be opened: ${why}`, 'opendata.field_closed');
      });
      if (chosen.length === 0)
        throw invalid('/fields', 'No field of this register may be opened', 'opendata.no_fields');
      const now = deps.clock();
      const id = await store.insertDataset(tx, {
        department_id: reg.departmentId,
        register_id: reg.id,
        access: reg.open.type === 'conditional' ? 'conditional' : 'open',
        ...describedBy(input),
        title: input.title ?? reg.name,
        update_cycle: reg.updateCycle,
        fields: [...chosen],
        created_at: now,
        modified_at: now,
      });
      if (id === undefined) throw conflict('opendata.name_taken', `A dataset named '${input.name}' exists`);
      const created = await store.findDataset(tx, input.name);
      if (!created) throw new AppError('internal', 500, 'dataset vanished');
      await deps.ledger.append(tx, {
        type: 'opendata.dataset.published',
        actor: staffId(actor),
        subject: `dataset:${created.uuid}`,
        payload: { name: created.name, register: reg.code, access: created.access, fields: chosen },
        readers: readersOf(actor),
      });
      await release(deps, tx, staffId(actor), created, reg, null);
      return view(tx, (await store.findDataset(tx, input.name)) as store.DatasetRow);
    }),
  );
}

/**
 * Once a release has committed, the planner learns of its rows (a DataStore filter on a large version then uses the
 * containment index). The statistics are an optimisation: should refreshing them fail, the release still stands.
 */
export async function afterRelease<T>(deps: OpendataDeps, released: Promise<T>): Promise<T> {
  const result = await released;
  await deps.db.transaction((tx) => store.analyzeRows(tx)).catch(() => undefined);
  return result;
}

async function managed(tx: Tx, actor: Actor, name: string): Promise<store.DatasetRow> {
  const dataset = await store.findDataset(tx, name);
  if (!dataset || !canPublish(actor, dataset.department_id)) throw notFound('dataset');
  return dataset;
}

/** Releases the register's current records as the dataset's next version. */
export async function releaseVersion(deps: OpendataDeps, actor: Actor, name: string, note: string | null) {
  return afterRelease(
    deps,
    deps.db.transaction(async (tx) => {
      const dataset = await managed(tx, actor, name);
      if (dataset.state !== 'active') throw conflict('opendata.withdrawn', 'This dataset was withdrawn');
      const reg = dataset.register_id === null ? undefined : await registerFacts(tx, dataset.register_id);
      if (!reg) throw conflict('opendata.no_register', 'The dataset’s register is gone');
      await release(deps, tx, staffId(actor), dataset, reg, note);
      return view(tx, (await store.findDataset(tx, name)) as store.DatasetRow);
    }),
  );
}

/**
 * Edits a dataset's description (title, notes, theme, tags, licence, coverage, contact): its metadata changes, so
 * harvesters see it as modified; its versions and their hashes do not. A ledger entry names the fields changed.
 */
export async function editDataset(deps: OpendataDeps, actor: StaffActor, name: string, input: EditDataset) {
  if (input.licenseId !== undefined || input.theme !== undefined) {
    checkVocabulary({ licenseId: input.licenseId ?? 'cc-by-4.0', theme: input.theme ?? 'government' });
  }
  return deps.db.transaction(async (tx) => {
    const dataset = await managed(tx, actor, name);
    const start = input.temporalStart === undefined ? dataset.temporal_start : input.temporalStart;
    const end = input.temporalEnd === undefined ? dataset.temporal_end : input.temporalEnd;
    if (start && end && start > end) {
      throw invalid('/temporalEnd', 'The coverage ends before it starts', 'opendata.temporal');
    }
    const changes = {
      ...(input.title !== undefined ? { title: input.title } : {}),
      ...(input.notes !== undefined ? { notes: input.notes } : {}),
      ...(input.theme !== undefined ? { theme: input.theme } : {}),
      ...(input.tags !== undefined ? { tags: [...new Set(input.tags)] } : {}),
      ...(input.licenseId !== undefined ? { license_id: input.licenseId } : {}),
      ...(input.spatial !== undefined ? { spatial: input.spatial } : {}),
      ...(input.temporalStart !== undefined ? { temporal_start: input.temporalStart } : {}),
      ...(input.temporalEnd !== undefined ? { temporal_end: input.temporalEnd } : {}),
      ...(input.contact !== undefined ? { contact: input.contact } : {}),
    };
    if (!(await store.updateDescription(tx, dataset.id, changes, deps.clock()))) {
      throw conflict('opendata.withdrawn', 'This dataset was withdrawn');
    }
    await deps.ledger.append(tx, {
      type: 'opendata.dataset.updated',
      actor: staffId(actor),
      subject: `dataset:${dataset.uuid}`,
      payload: { name: dataset.name, changed: Object.keys(input).sort() },
      readers: [staffId(actor)],
    });
    return view(tx, (await store.findDataset(tx, name)) as store.DatasetRow);
  });
}

/** Withdraws a dataset: its data goes, its page stays as a tombstone with its versions' hashes. */
export async function withdrawDataset(deps: OpendataDeps, actor: StaffActor, name: string, reason: string) {
  return deps.db.transaction(async (tx) => {
    const dataset = await managed(tx, actor, name);
    if (!(await store.withdraw(tx, dataset.id, deps.clock()))) {
      throw conflict('opendata.withdrawn', 'This dataset was already withdrawn');
    }
    await deps.ledger.append(tx, {
      type: 'opendata.dataset.withdrawn',
      actor: staffId(actor),
      subject: `dataset:${dataset.uuid}`,
      payload: { name: dataset.name, reason },
      readers: [staffId(actor)],
    });
    return view(tx, (await store.findDataset(tx, name)) as store.DatasetRow);
  });
}

export interface DatasetView {
  readonly dataset: store.DatasetRow;
  readonly versions: readonly store.VersionRow[];
}

async function view(tx: Tx, dataset: store.DatasetRow): Promise<DatasetView> {
  return { dataset, versions: await store.findVersions(tx, [dataset.id]) };
}

/** The datasets of the departments a staff member reads (all for overseers), withdrawn ones included. */
export async function listForStaff(
  deps: { db: Db },
  actor: StaffActor,
): Promise<Array<DatasetView & { usage: { views: number; downloads: number; apiCalls: number } }>> {
  return deps.db.read(async (tx) => {
    const all = await store.findDatasets(tx);
    const mine = all.filter((d) => readsDepartment(actor, d.department_id));
    const totals = await usage.totalsOf(
      tx,
      mine.map((d) => d.id),
    );
    return (await withVersions(tx, mine)).map((v) => {
      const t = totals.get(v.dataset.id);
      return { ...v, usage: { views: t?.views ?? 0, downloads: t?.downloads ?? 0, apiCalls: t?.api_calls ?? 0 } };
    });
  });
}

async function withVersions(tx: Tx, datasets: readonly store.DatasetRow[]): Promise<DatasetView[]> {
  const versions = await store.findVersions(
    tx,
    datasets.map((d) => d.id),
  );
  const byDataset = Map.groupBy(versions, (v) => v.dataset_id);
  return datasets.map((dataset) => ({ dataset, versions: byDataset.get(dataset.id) ?? [] }));
}

// ---- readers (the public zone) ----

const cached = new WeakMap<Db, { stamp: number; datasets: Promise<DatasetView[]> }>();

/**
 * Every dataset published and not withdrawn, with its versions. Kept in memory while the cache generation, which
 * every change to a dataset bumps, stays put (one row read checks), so CKAN's searches and lists do not reload the catalogue on every call.
 */
export async function activeDatasets(db: Db): Promise<DatasetView[]> {
  const stamp = await db.read((tx) => readGeneration(tx));
  const hit = cached.get(db);
  if (hit?.stamp === stamp) return hit.datasets;
  const datasets = db.read(async (tx) => withVersions(tx, await store.findDatasets(tx, { state: 'active' })));
  cached.set(db, { stamp, datasets });
  datasets.catch(() => cached.delete(db));
  return datasets;
}

/** One dataset by name or id, withdrawn ones too (their tombstone). */
export function findDataset(db: Db, nameOrId: string): Promise<DatasetView | undefined> {
  return db.read(async (tx) => {
    const dataset = await store.findDataset(tx, nameOrId);
    return dataset && view(tx, dataset);
  });
}

/** What changed from one version to another: fields added and removed, rows added, removed and changed. */
export async function diffVersions(db: Db, name: string, from: number, to: number) {
  return db.read(async (tx) => {
    const dataset = await store.findDataset(tx, name);
    const versions = dataset ? await store.findVersions(tx, [dataset.id]) : [];
    const a = versions.find((v) => v.version === from);
    const b = versions.find((v) => v.version === to);
    if (!dataset || !a || !b || dataset.state !== 'active') throw notFound('dataset');
    const fa = (a.schema as TableSchema).fields.map((f) => f.name);
    const fb = (b.schema as TableSchema).fields.map((f) => f.name);
    const keyA = (a.schema as TableSchema).primaryKey?.[0];
    const keyB = (b.schema as TableSchema).primaryKey?.[0];
    const diff = await store.diffRows(tx, dataset.id, from, to, keyA && keyA === keyB ? keyA : undefined);
    // A conditional dataset's keys are its data: its changes are counted, not shown.
    const rows =
      dataset.access === 'conditional' ? { ...diff, samples: { added: [], removed: [], changed: [] } } : diff;
    return {
      from,
      to,
      fieldsAdded: fb.filter((f) => !fa.includes(f)),
      fieldsRemoved: fa.filter((f) => !fb.includes(f)),
      ...rows,
    };
  });
}

export function readRows(db: Db, q: Parameters<typeof store.findRows>[1]) {
  return db.read((tx) => store.findRows(tx, q));
}

export function blockAt(db: Db, datasetId: number, version: number, format: FileFormat, offset: number) {
  return db.read((tx) => store.blockAt(tx, datasetId, version, format, offset));
}

export function rowsAfter(db: Db, datasetId: number, version: number, after: number, limit: number) {
  return db.read((tx) => store.rowsAfter(tx, datasetId, version, after, limit));
}

export const datasetNotFound = () => notFound('dataset');
