// opendata SQL: datasets, their immutable versions and each version's rows. Every function takes the transaction.
import { type ColumnType, type Generated, type Selectable, sql } from 'kysely';
import type { Tx } from '../../platform/db.ts';

type Json = ColumnType<unknown, string, string>;
type TextArray = ColumnType<string[], string[], string[]>;

interface DatasetsTable {
  id: Generated<number>;
  uuid: Generated<string>;
  name: string;
  department_id: number;
  register_id: number | null;
  access: 'open' | 'conditional';
  title: string;
  notes: string;
  theme: string;
  tags: TextArray;
  license_id: string;
  update_cycle: string;
  spatial: string | null;
  temporal_start: ColumnType<string | null, string | null, string | null>;
  temporal_end: ColumnType<string | null, string | null, string | null>;
  contact: string | null;
  fields: TextArray;
  state: Generated<'active' | 'withdrawn'>;
  version: Generated<number>;
  created_at: Date;
  modified_at: Date;
}
interface VersionsTable {
  dataset_id: number;
  version: number;
  schema: Json;
  row_count: number;
  sha256: string;
  note: string | null;
  receipt_id: string;
  created_by: string;
  created_at: Date;
  /** Each file's size (null for a version released before sizes were kept: it downloads whole, without ranges). */
  csv_bytes: number | null;
  json_bytes: number | null;
}
interface OffsetsTable {
  dataset_id: number;
  version: number;
  row_no: number;
  csv_offset: number;
  json_offset: number;
}
interface RowsTable {
  dataset_id: number;
  version: number;
  row_no: number;
  data: Json;
}

declare module '../../platform/db.ts' {
  interface Database {
    opendata_datasets: DatasetsTable;
    opendata_versions: VersionsTable;
    opendata_rows: RowsTable;
    opendata_offsets: OffsetsTable;
  }
}

export type DatasetRow = Selectable<DatasetsTable> & { department_code: string; department_name: string };
export type VersionRow = Selectable<VersionsTable>;

export interface NewDataset {
  name: string;
  department_id: number;
  /** Null for a dataset made from uploaded files. */
  register_id: number | null;
  access: 'open' | 'conditional';
  title: string;
  notes: string;
  theme: string;
  tags: string[];
  license_id: string;
  update_cycle: string;
  spatial: string | null;
  temporal_start: string | null;
  temporal_end: string | null;
  contact: string | null;
  fields: string[];
  created_at: Date;
  modified_at: Date;
}

/** Inserts a dataset; undefined when its name is taken. */
export async function insertDataset(tx: Tx, row: NewDataset): Promise<number | undefined> {
  const r = await tx
    .insertInto('opendata_datasets')
    .values(row)
    .onConflict((oc) => oc.column('name').doNothing())
    .returning('id')
    .executeTakeFirst();
  return r?.id;
}

const withDepartment = (tx: Tx) =>
  tx
    .selectFrom('opendata_datasets as d')
    .innerJoin('departments as p', 'p.id', 'd.department_id')
    .selectAll('d')
    .select(['p.code as department_code', 'p.name as department_name']);

/** A dataset by its name or its id (CKAN accepts either). */
export function findDataset(tx: Tx, nameOrId: string): Promise<DatasetRow | undefined> {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(nameOrId);
  return withDepartment(tx)
    .where(isUuid ? 'd.uuid' : 'd.name', '=', nameOrId.toLowerCase())
    .executeTakeFirst() as Promise<DatasetRow | undefined>;
}

export function findDatasetById(tx: Tx, id: number): Promise<DatasetRow | undefined> {
  return withDepartment(tx).where('d.id', '=', id).executeTakeFirst() as Promise<DatasetRow | undefined>;
}

export function findDatasets(
  tx: Tx,
  filter: { state?: 'active'; departmentIds?: readonly number[] } = {},
): Promise<DatasetRow[]> {
  let q = withDepartment(tx).orderBy('d.id');
  if (filter.state) q = q.where('d.state', '=', filter.state);
  if (filter.departmentIds)
    q = q.where('d.department_id', 'in', filter.departmentIds.length ? filter.departmentIds : [-1]);
  return q.execute() as Promise<DatasetRow[]>;
}

export async function setCurrentVersion(tx: Tx, id: number, version: number, at: Date): Promise<void> {
  await tx.updateTable('opendata_datasets').set({ version, modified_at: at }).where('id', '=', id).execute();
}

/** Changes an active dataset's description; false when it is withdrawn. */
export async function updateDescription(
  tx: Tx,
  id: number,
  changes: Partial<
    Pick<
      NewDataset,
      'title' | 'notes' | 'theme' | 'tags' | 'license_id' | 'spatial' | 'temporal_start' | 'temporal_end' | 'contact'
    >
  >,
  at: Date,
): Promise<boolean> {
  const r = await tx
    .updateTable('opendata_datasets')
    .set({ ...changes, modified_at: at })
    .where('id', '=', id)
    .where('state', '=', 'active')
    .executeTakeFirst();
  return Number(r.numUpdatedRows ?? 0) > 0;
}

export async function withdraw(tx: Tx, id: number, at: Date): Promise<boolean> {
  const r = await tx
    .updateTable('opendata_datasets')
    .set({ state: 'withdrawn', modified_at: at })
    .where('id', '=', id)
    .where('state', '=', 'active')
    .executeTakeFirst();
  if (Number(r.numUpdatedRows ?? 0) === 0) return false;
  await tx.deleteFrom('opendata_rows').where('dataset_id', '=', id).execute();
  await tx.deleteFrom('opendata_offsets').where('dataset_id', '=', id).execute();
  return true;
}

export async function insertVersion(
  tx: Tx,
  row: Omit<VersionRow, 'schema'> & { schema: unknown },
  rows: ReadonlyArray<Readonly<Record<string, unknown>>>,
  offsets: ReadonlyArray<Omit<Selectable<OffsetsTable>, 'dataset_id' | 'version'>>,
): Promise<void> {
  await tx
    .insertInto('opendata_versions')
    .values({ ...row, schema: JSON.stringify(row.schema) })
    .execute();
  await insertOffsets(tx, row.dataset_id, row.version, offsets);
  for (let i = 0; i < rows.length; i += 2000) {
    const chunk = rows.slice(i, i + 2000);
    await sql`
      insert into opendata_rows (dataset_id, version, row_no, data)
      select ${row.dataset_id}, ${row.version}, ${i} + t.ord, t.elem
      from jsonb_array_elements(${JSON.stringify(chunk)}::jsonb) with ordinality as t(elem, ord)`.execute(tx);
  }
}

/** A version's block offsets (every 1,000th row's start in each file). */
export async function insertOffsets(
  tx: Tx,
  datasetId: number,
  version: number,
  offsets: ReadonlyArray<Omit<Selectable<OffsetsTable>, 'dataset_id' | 'version'>>,
): Promise<void> {
  for (let i = 0; i < offsets.length; i += 5000) {
    await tx
      .insertInto('opendata_offsets')
      .values(offsets.slice(i, i + 5000).map((o) => ({ ...o, dataset_id: datasetId, version })))
      .execute();
  }
}

/** The last block of a version beginning at or before a byte of one of its files. */
export async function blockAt(
  tx: Tx,
  datasetId: number,
  version: number,
  format: 'csv' | 'json',
  offset: number,
): Promise<{ rowNo: number; offset: number } | undefined> {
  const column = format === 'csv' ? 'csv_offset' : 'json_offset';
  const r = await tx
    .selectFrom('opendata_offsets')
    .select(['row_no', `${column} as offset`])
    .where('dataset_id', '=', datasetId)
    .where('version', '=', version)
    .where(column, '<=', offset)
    .orderBy('row_no', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r && { rowNo: r.row_no, offset: Number(r.offset) };
}

/** Refreshes the planner's statistics of the rows table (after a release added many rows). */
export async function analyzeRows(tx: Tx): Promise<void> {
  await sql`select opendata_rows_analyze()`.execute(tx);
}

export function findVersions(tx: Tx, datasetIds: readonly number[]): Promise<VersionRow[]> {
  if (datasetIds.length === 0) return Promise.resolve([]);
  return tx
    .selectFrom('opendata_versions')
    .selectAll()
    .where('dataset_id', 'in', datasetIds)
    .orderBy('dataset_id')
    .orderBy('version')
    .execute();
}

/**
 * A page of a version's rows, filtered by equality on fields and by a text that any field contains, sorted by fields
 * (the row number last), with the total count when asked.
 */
export async function findRows(
  tx: Tx,
  q: {
    datasetId: number;
    version: number;
    filters: Readonly<Record<string, string | number | boolean>>;
    text?: string;
    sort: ReadonlyArray<{ field: string; desc: boolean; numeric: boolean }>;
    limit: number;
    offset: number;
    withTotal: boolean;
  },
): Promise<{ rows: Array<{ row_no: number; data: Record<string, unknown> }>; total?: number }> {
  const where = sql`r.dataset_id = ${q.datasetId} and r.version = ${q.version}
    ${Object.keys(q.filters).length ? sql`and r.data @> ${JSON.stringify(q.filters)}::jsonb` : sql``}
    ${q.text ? sql`and r.data::text ilike ${`%${q.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}` : sql``}`;
  const order = sql.join([
    ...q.sort.map((s) => {
      const value = s.numeric ? sql`(r.data->>${s.field})::numeric` : sql`r.data->>${s.field}`;
      return s.desc ? sql`${value} desc nulls last` : sql`${value} asc nulls first`;
    }),
    sql`r.row_no`,
  ]);
  // With filters, the matching rows come from the containment index first (a materialized step, so the planner
  // does not walk the whole version in row order hoping to meet them), then are sorted and paged.
  const page = Object.keys(q.filters).length
    ? await sql<{ row_no: number; data: Record<string, unknown> }>`
        with r as materialized (select r.row_no, r.data from opendata_rows r where ${where})
        select r.row_no, r.data from r order by ${order} limit ${q.limit} offset ${q.offset}`.execute(tx)
    : await sql<{ row_no: number; data: Record<string, unknown> }>`
        select r.row_no, r.data from opendata_rows r where ${where} order by ${order} limit ${q.limit} offset ${q.offset}`.execute(
        tx,
      );
  if (!q.withTotal) return { rows: page.rows };
  const total = await sql<{ n: number }>`select count(*)::int as n from opendata_rows r where ${where}`.execute(tx);
  return { rows: page.rows, total: Number(total.rows[0]?.n ?? 0) };
}

/**
 * What changed between two versions' rows: by the primary key when there is one (added, removed, changed, with a few
 * keys of each), else as multisets of whole rows (added and removed; a change is a removal and an addition).
 */
export async function diffRows(
  tx: Tx,
  datasetId: number,
  from: number,
  to: number,
  key: string | undefined,
): Promise<{
  added: number;
  removed: number;
  changed: number;
  samples: { added: string[]; removed: string[]; changed: string[] };
}> {
  if (key) {
    const r = await sql<{ kind: 'added' | 'removed' | 'changed'; n: number; samples: string[] }>`
      with a as (select data->>${key} as k, data from opendata_rows where dataset_id = ${datasetId} and version = ${from}),
           b as (select data->>${key} as k, data from opendata_rows where dataset_id = ${datasetId} and version = ${to}),
           d as (
             select case when a.k is null then 'added' when b.k is null then 'removed' else 'changed' end as kind,
                    coalesce(b.k, a.k) as k
             from a full outer join b on a.k = b.k
             where a.k is null or b.k is null or a.data <> b.data
           )
      select kind, count(*)::int as n, (array_agg(k order by k))[1:5] as samples from d group by kind`.execute(tx);
    const of = (kind: string) => r.rows.find((x) => x.kind === kind);
    return {
      added: Number(of('added')?.n ?? 0),
      removed: Number(of('removed')?.n ?? 0),
      changed: Number(of('changed')?.n ?? 0),
      samples: {
        added: of('added')?.samples ?? [],
        removed: of('removed')?.samples ?? [],
        changed: of('changed')?.samples ?? [],
      },
    };
  }
  const r = await sql<{ added: number; removed: number }>`
    select
      (select count(*)::int from (select data from opendata_rows where dataset_id = ${datasetId} and version = ${to}
        except all select data from opendata_rows where dataset_id = ${datasetId} and version = ${from}) x) as added,
      (select count(*)::int from (select data from opendata_rows where dataset_id = ${datasetId} and version = ${from}
        except all select data from opendata_rows where dataset_id = ${datasetId} and version = ${to}) y) as removed`.execute(
    tx,
  );
  return {
    added: Number(r.rows[0]?.added ?? 0),
    removed: Number(r.rows[0]?.removed ?? 0),
    changed: 0,
    samples: { added: [], removed: [], changed: [] },
  };
}

/** Every row of a version in order, in pages (downloads stream these). */
export function rowsAfter(tx: Tx, datasetId: number, version: number, after: number, limit: number) {
  return tx
    .selectFrom('opendata_rows')
    .select(['row_no', 'data'])
    .where('dataset_id', '=', datasetId)
    .where('version', '=', version)
    .where('row_no', '>', after)
    .orderBy('row_no')
    .limit(limit)
    .execute() as Promise<Array<{ row_no: number; data: Record<string, unknown> }>>;
}
