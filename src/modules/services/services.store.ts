// services SQL: sub-platforms, service items and their versions.
import { type ColumnType, type Generated, type Selectable, sql } from 'kysely';
import type { Tx } from '../../platform/db.ts';
import type { Form, Guide, Workflow } from './services.schemas.ts';

type GuideJson = ColumnType<Guide, string, string>;

interface SubplatformsTable {
  code: string;
  name: string;
  audience: 'person' | 'enterprise' | 'both';
  description: Generated<string>;
  sort: Generated<number>;
}

type JsonIn<T> = ColumnType<T | null, string | null, string | null>;

interface ServiceItemsTable {
  id: Generated<number>;
  form: JsonIn<Form>;
  workflow: JsonIn<Workflow>;
  code: string;
  subplatform: string;
  department_id: number;
  status: Generated<'draft' | 'published' | 'withdrawn'>;
  version: Generated<number>;
  guide: GuideJson;
  published_at: Date | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

interface ServiceItemVersionsTable {
  item_id: number;
  form: JsonIn<Form>;
  workflow: JsonIn<Workflow>;
  version: number;
  status: string;
  guide: GuideJson;
  changed_by: string;
  changed_at: Generated<Date>;
}

declare module '../../platform/db.ts' {
  interface Database {
    subplatforms: SubplatformsTable;
    service_items: ServiceItemsTable;
    service_item_versions: ServiceItemVersionsTable;
  }
}

export type ItemRow = Selectable<ServiceItemsTable> & { department_name: string; region_code: string };

/** Adds or changes a sub-platform; answers what happened ('unchanged' when it was already so: nothing written). */
export async function upsertSubplatform(
  tx: Tx,
  row: { code: string; name: string; audience: 'person' | 'enterprise' | 'both'; description: string; sort: number },
): Promise<'created' | 'changed' | 'unchanged'> {
  const r = await sql<{ created: boolean }>`
    insert into subplatforms (code, name, audience, description, sort)
    values (${row.code}, ${row.name}, ${row.audience}, ${row.description}, ${row.sort})
    on conflict (code) do update
      set name = excluded.name, audience = excluded.audience, description = excluded.description, sort = excluded.sort
      where (subplatforms.name, subplatforms.audience, subplatforms.description, subplatforms.sort)
        is distinct from (excluded.name, excluded.audience, excluded.description, excluded.sort)
    returning (xmax = 0) as created`.execute(tx);
  const done = r.rows[0];
  return done === undefined ? 'unchanged' : done.created ? 'created' : 'changed';
}

export function findSubplatformsWithCounts(tx: Tx) {
  return sql<{
    code: string;
    name: string;
    audience: 'person' | 'enterprise' | 'both';
    description: string;
    items: number;
  }>`
    select s.code, s.name, s.audience, s.description,
           (select count(*)::int from service_items i where i.subplatform = s.code and i.status = 'published') as items
    from subplatforms s order by s.sort, s.code`
    .execute(tx)
    .then((r) => r.rows);
}

export function findSubplatform(tx: Tx, code: string) {
  return tx.selectFrom('subplatforms').selectAll().where('code', '=', code).executeTakeFirst();
}

const items = (tx: Tx) =>
  tx
    .selectFrom('service_items as i')
    .innerJoin('departments as d', 'd.id', 'i.department_id')
    .selectAll('i')
    .select(['d.name as department_name', 'd.region_code as region_code']);

export function findItem(tx: Tx, code: string): Promise<ItemRow | undefined> {
  return items(tx).where('i.code', '=', code).executeTakeFirst();
}

export function findItems(
  tx: Tx,
  filter: { publishedOnly: boolean; subplatform?: string; audience?: string; departmentId?: number; q?: string },
): Promise<ItemRow[]> {
  let q = items(tx).orderBy('i.subplatform').orderBy('i.code');
  if (filter.publishedOnly) q = q.where('i.status', '=', 'published');
  if (filter.subplatform) q = q.where('i.subplatform', '=', filter.subplatform);
  if (filter.audience) q = q.where(sql<boolean>`i.guide->>'audience' = ${filter.audience}`);
  if (filter.departmentId !== undefined) q = q.where('i.department_id', '=', filter.departmentId);
  if (filter.q) {
    // Every word must appear in the name or a keyword (a plain substring match until the search module lands).
    for (const word of filter.q.split(/\s+/).filter(Boolean).slice(0, 5)) {
      const like = `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      q = q.where(
        sql<boolean>`(i.guide->>'name' like ${like} or exists (
          select 1 from jsonb_array_elements_text(i.guide->'keywords') k where k like ${like}))`,
      );
    }
  }
  return q.execute();
}

export function insertItem(
  tx: Tx,
  row: { code: string; subplatform: string; department_id: number; guide: Guide; form: Form; workflow: Workflow },
) {
  return tx
    .insertInto('service_items')
    .values({
      ...row,
      guide: JSON.stringify(row.guide),
      form: JSON.stringify(row.form),
      workflow: JSON.stringify(row.workflow),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A new version (guide and/or status) if the item is still at `expectedVersion`; undefined when it moved on. */
export function updateItem(
  tx: Tx,
  id: number,
  expectedVersion: number,
  change: { guide?: Guide; status?: 'draft' | 'published' | 'withdrawn'; published_at?: Date },
) {
  return tx
    .updateTable('service_items')
    .set({
      ...(change.guide ? { guide: JSON.stringify(change.guide) } : {}),
      ...(change.status ? { status: change.status } : {}),
      ...(change.published_at ? { published_at: change.published_at } : {}),
      version: expectedVersion + 1,
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .returningAll()
    .executeTakeFirst();
}

export async function insertVersion(
  tx: Tx,
  row: {
    item_id: number;
    version: number;
    status: string;
    guide: Guide;
    form: Form | null;
    workflow: Workflow | null;
    changed_by: string;
  },
): Promise<void> {
  await tx
    .insertInto('service_item_versions')
    .values({
      ...row,
      guide: JSON.stringify(row.guide),
      form: row.form ? JSON.stringify(row.form) : null,
      workflow: row.workflow ? JSON.stringify(row.workflow) : null,
    })
    .execute();
}

export function findItemById(tx: Tx, id: number): Promise<ItemRow | undefined> {
  return items(tx).where('i.id', '=', id).executeTakeFirst();
}
