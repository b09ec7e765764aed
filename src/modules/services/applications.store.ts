// applications SQL: applications (办件), their numbers, tasks, timeline and uploaded files.
import { type ColumnType, type Generated, type RawBuilder, type Selectable, sql } from 'kysely';
import type { Tx } from '../../platform/db.ts';
import type { ItemRow } from './services.store.ts';

type Json<T> = ColumnType<T, string, string>;
type JsonOrNull<T> = ColumnType<T | null, string | null, string | null>;

export type { Status as AppStatus } from './workflow.ts';

import type { Workflow } from './services.schemas.ts';
import type { ApplicationEvent, Status as AppStatus } from './workflow.ts';

export interface MaterialEntry {
  readonly name: string;
  readonly source: 'upload' | 'register' | 'license';
  readonly register?: string;
  readonly sha256?: string;
  /** For held data: what the back office found when it fetched it. */
  readonly fetched?: { readonly recordId: number; readonly version: number } | { readonly missing: true };
  readonly trust: string;
}

export interface Applicant {
  readonly kind: 'person' | 'enterprise';
  readonly name: string;
  readonly identifierMasked: string;
  /** The identifier sealed with the node's secret box (base64), for fetching held data. */
  readonly identifierSealed: string;
}

interface ApplicationsTable {
  id: Generated<number>;
  number: string | null;
  item_id: number;
  item_version: number;
  account_id: number;
  applicant: Json<Applicant>;
  department_id: number;
  status: Generated<AppStatus>;
  step: string | null;
  form_data: Json<Record<string, unknown>>;
  materials: Json<MaterialEntry[]>;
  idempotency_key: string;
  correction: JsonOrNull<{ missing: string[]; note: string }>;
  result: JsonOrNull<Record<string, unknown>>;
  submitted_at: Date | null;
  due_at: Date | null;
  warn_at: Date | null;
  paused_at: Date | null;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

interface ApplicationTasksTable {
  application_id: number;
  step: string;
  department_id: number;
  status: Generated<'open' | 'approved' | 'rejected'>;
  decided_by: number | null;
  decided_at: Date | null;
  note: string | null;
}

interface ApplicationEventsTable {
  id: Generated<number>;
  application_id: number;
  step: string | null;
  action: string;
  actor: string;
  department_id: number | null;
  note: string | null;
  receipt_id: string;
  at: Generated<Date>;
}

interface UploadsTable {
  sha256: string;
  content_type: string;
  size: number;
  bytes: Buffer;
  created_at: Generated<Date>;
}

declare module '../../platform/db.ts' {
  interface Database {
    applications: ApplicationsTable;
    application_tasks: ApplicationTasksTable;
    application_events: ApplicationEventsTable;
    uploads: UploadsTable;
  }
}

export type ApplicationRow = Selectable<ApplicationsTable>;

/** One step of an application's timeline, as written. */
export interface EventInput {
  application_id: number;
  step: string | null;
  action: ApplicationEvent;
  actor: string;
  department_id: number | null;
  note: string | null;
  receipt_id: string;
}
export type TaskRow = Selectable<ApplicationTasksTable>;
export type EventRow = Selectable<ApplicationEventsTable>;

const json = (v: unknown) => JSON.stringify(v);

export function insertDraft(
  tx: Tx,
  row: {
    item_id: number;
    item_version: number;
    account_id: number;
    applicant: Applicant;
    department_id: number;
    idempotency_key: string;
    form_data: Record<string, unknown>;
  },
) {
  return tx
    .insertInto('applications')
    .values({
      ...row,
      applicant: json(row.applicant),
      form_data: json(row.form_data),
      materials: '[]',
    })
    .onConflict((oc) => oc.columns(['account_id', 'idempotency_key']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export function findByKey(tx: Tx, accountId: number, key: string) {
  return tx
    .selectFrom('applications')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
}

export function findApplication(tx: Tx, id: number) {
  return tx.selectFrom('applications').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findByNumber(tx: Tx, number: string) {
  return tx.selectFrom('applications').selectAll().where('number', '=', number).executeTakeFirst();
}

/** Writes a change if the application is still at `expectedVersion`; undefined when it moved on meanwhile. */
export function updateApplication(
  tx: Tx,
  id: number,
  expectedVersion: number,
  change: {
    status?: AppStatus;
    step?: string | null;
    department_id?: number;
    form_data?: Record<string, unknown>;
    materials?: MaterialEntry[];
    correction?: { missing: string[]; note: string } | null;
    result?: Record<string, unknown>;
    submitted_at?: Date;
    due_at?: Date | null;
    warn_at?: Date | null;
    paused_at?: Date | null;
  },
) {
  const { form_data, materials, correction, result, ...plain } = change;
  return tx
    .updateTable('applications')
    .set({
      ...plain,
      ...(form_data ? { form_data: json(form_data) } : {}),
      ...(materials ? { materials: json(materials) } : {}),
      ...(correction !== undefined ? { correction: correction === null ? null : json(correction) } : {}),
      ...(result ? { result: json(result) } : {}),
      version: expectedVersion + 1,
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .returningAll()
    .executeTakeFirst();
}

export function findMine(tx: Tx, accountId: number) {
  return tx
    .selectFrom('applications as a')
    .innerJoin('service_items as i', 'i.id', 'a.item_id')
    .selectAll('a')
    .select(['i.code as item_code', sql<string>`i.guide->>'name'`.as('item_name')])
    .where('a.account_id', '=', accountId)
    .orderBy('a.id', 'desc')
    .limit(200)
    .execute();
}

/** The timeline event and the caller's ledger insert in one statement. */
export async function insertEventWithEntry(tx: Tx, row: EventInput, ledgerInsert: RawBuilder<unknown>): Promise<void> {
  await sql`
    with queued as (${ledgerInsert})
    insert into application_events (application_id, step, action, actor, department_id, note, receipt_id)
    values (${row.application_id}, ${row.step}, ${row.action}, ${row.actor}, ${row.department_id}, ${row.note},
            ${row.receipt_id})`.execute(tx);
}

/**
 * Submits in one statement: the version-guarded update, the ledger entry and the timeline event; the last two only
 * if the update applied. Undefined when the application moved on meanwhile (nothing written).
 */
export async function submitWithRecord(
  tx: Tx,
  id: number,
  expectedVersion: number,
  change: {
    status: AppStatus;
    step: string | null;
    number: string;
    materials: MaterialEntry[];
    submitted_at: Date;
    due_at: Date;
    warn_at: Date;
  },
  event: EventInput,
  ledgerInsert: (only: RawBuilder<unknown>) => RawBuilder<unknown>,
): Promise<ApplicationRow | undefined> {
  const update = tx
    .updateTable('applications')
    .set({
      ...change,
      materials: json(change.materials),
      version: expectedVersion + 1,
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .returningAll();
  const r = await sql<ApplicationRow>`
    with upd as (${update}),
    queued as (${ledgerInsert(sql`(select 0 from upd)`)}),
    logged as (
      insert into application_events (application_id, step, action, actor, department_id, note, receipt_id)
      select ${event.application_id}, ${event.step}, ${event.action}, ${event.actor}, ${event.department_id},
             ${event.note}, ${event.receipt_id}
      where exists (select 1 from upd)
    )
    select * from upd`.execute(tx);
  return r.rows[0];
}

/** An application and its item (with the item's department name and region) in one query. */
export async function findApplicationWithItem(tx: Tx, id: number) {
  const r = await sql<{ a: ApplicationRow; i: Record<string, unknown> }>`
    select to_jsonb(a) as a, to_jsonb(i) || jsonb_build_object('department_name', d.name, 'region_code', d.region_code) as i
    from applications a join service_items i on i.id = a.item_id join departments d on d.id = i.department_id
    where a.id = ${id}`.execute(tx);
  const hit = r.rows[0];
  if (!hit) return undefined;
  const a = typeof hit.a === 'string' ? JSON.parse(hit.a) : hit.a;
  const i = typeof hit.i === 'string' ? JSON.parse(hit.i) : hit.i;
  const date = (v: unknown) => (v ? new Date(String(v)) : null);
  const row = {
    ...a,
    submitted_at: date(a.submitted_at),
    due_at: date(a.due_at),
    warn_at: date(a.warn_at),
    paused_at: date(a.paused_at),
    created_at: date(a.created_at),
    updated_at: date(a.updated_at),
  } as ApplicationRow;
  const item = {
    ...i,
    published_at: date(i.published_at),
    created_at: date(i.created_at),
    updated_at: date(i.updated_at),
  } as unknown as ItemRow;
  return { row, item };
}

export function findEvents(tx: Tx, applicationId: number) {
  return tx
    .selectFrom('application_events')
    .selectAll()
    .where('application_id', '=', applicationId)
    .orderBy('id')
    .execute();
}

export async function openTasks(tx: Tx, applicationId: number, step: string, departmentIds: readonly number[]) {
  if (departmentIds.length === 0) return;
  await tx
    .insertInto('application_tasks')
    .values(departmentIds.map((d) => ({ application_id: applicationId, step, department_id: d })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export function findTasks(tx: Tx, applicationId: number, step?: string) {
  let q = tx.selectFrom('application_tasks').selectAll().where('application_id', '=', applicationId);
  if (step) q = q.where('step', '=', step);
  return q.execute();
}

export function decideTask(
  tx: Tx,
  key: { application_id: number; step: string; department_id: number },
  row: { status: 'approved' | 'rejected'; decided_by: number; note: string | null },
) {
  return tx
    .updateTable('application_tasks')
    .set({ ...row, decided_at: sql<Date>`now()` })
    .where('application_id', '=', key.application_id)
    .where('step', '=', key.step)
    .where('department_id', '=', key.department_id)
    .where('status', '=', 'open')
    .returningAll()
    .executeTakeFirst();
}

/**
 * A department's inbox: applications waiting at one of its steps, plus parallel tasks open for it, soonest due
 * first. Served by the partial index on (department_id, step, due_at).
 */
export function findInbox(
  tx: Tx,
  q: { departmentIds: readonly number[]; step?: string; limit: number; after?: { due: Date; id: number } },
) {
  const mine = q.departmentIds.length ? q.departmentIds : [-1];
  return sql<{
    id: number;
    number: string;
    item_code: string;
    item_name: string;
    status: AppStatus;
    step: string;
    department_id: number;
    applicant: Applicant;
    submitted_at: Date;
    due_at: Date;
    warn_at: Date;
    parallel: boolean;
    workflow: Workflow | null;
  }>`
    select * from (
      ${sql.join(
        mine.map(
          // One ordered index scan per department (an = ANY(array) condition would scan all and sort).
          (d) => sql`(select a.id, a.number, i.code as item_code, i.guide->>'name' as item_name, a.status, a.step,
                             a.department_id, a.applicant, a.submitted_at, a.due_at, a.warn_at, false as parallel,
                             i.workflow
                      from applications a join service_items i on i.id = a.item_id
                      where a.department_id = ${d} and a.status in ('submitted', 'in_progress')
                        ${q.step ? sql`and a.step = ${q.step}` : sql``}
                      order by a.due_at, a.id
                      limit ${q.limit})`,
        ),
        sql` union all `,
      )}
      union all
      (select a.id, a.number, i.code, i.guide->>'name', a.status, a.step, t.department_id, a.applicant,
              a.submitted_at, a.due_at, a.warn_at, true, i.workflow
       from application_tasks t join applications a on a.id = t.application_id and a.step = t.step
            join service_items i on i.id = a.item_id
       where t.status = 'open' and t.department_id = any(${[...mine]}::bigint[]) and a.department_id <> t.department_id
         and a.status = 'in_progress'
       order by a.due_at, a.id
       limit ${q.limit})
    ) inbox
    order by due_at, id
    limit ${q.limit}`
    .execute(tx)
    .then((r) => r.rows);
}

export async function insertUpload(
  tx: Tx,
  row: { sha256: string; content_type: string; size: number; bytes: Buffer },
): Promise<void> {
  await tx
    .insertInto('uploads')
    .values(row)
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();
}

export function findUploads(tx: Tx, hashes: readonly string[]) {
  if (hashes.length === 0) return Promise.resolve([] as Array<{ sha256: string; size: number; content_type: string }>);
  return tx.selectFrom('uploads').select(['sha256', 'size', 'content_type']).where('sha256', 'in', hashes).execute();
}

/** How many applications each item received since a time (submitted ones): the items' popularity. */
export function countSubmittedSince(tx: Tx, since: Date) {
  return tx
    .selectFrom('applications as a')
    .innerJoin('service_items as i', 'i.id', 'a.item_id')
    .select(['i.code', (eb) => eb.fn.countAll<number>().as('uses')])
    .where('a.submitted_at', '>=', since)
    .groupBy('i.code')
    .execute();
}
