// opendata SQL of conditional opening: applications, API keys (their SHA-256 only), usage per key and day, and the
// log of every use and refusal. Every function takes the transaction.
import { type Generated, type Selectable, sql } from 'kysely';
import type { Tx } from '../../platform/db.ts';

interface ApplicationsTable {
  id: Generated<number>;
  dataset_id: number;
  account_id: number;
  purpose: string;
  scenario: string;
  commitments: boolean;
  agreement: boolean;
  status: Generated<'pending' | 'approved' | 'rejected'>;
  due_at: Date;
  decided_by: number | null;
  decided_at: Date | null;
  decision_note: string | null;
  calls_per_day: number | null;
  rows_per_day: number | null;
  expires_at: Date | null;
  created_at: Date;
  escalated_at: Date | null;
}
interface KeysTable {
  id: Generated<number>;
  application_id: number;
  key_hash: Buffer;
  key_prefix: string;
  status: Generated<'active' | 'revoked' | 'replaced'>;
  revoked_by: string | null;
  revoked_at: Date | null;
  created_at: Date;
}
interface KeyUsageTable {
  application_id: number;
  day: string;
  calls: number;
  rows: number;
}
interface AccessLogTable {
  id: Generated<number>;
  application_id: number | null;
  dataset_id: number | null;
  action: string;
  decision: 'allow' | 'deny';
  reason: string | null;
  rows: number | null;
  ip: string | null;
  at: Date;
}

declare module '../../platform/db.ts' {
  interface Database {
    opendata_applications: ApplicationsTable;
    opendata_keys: KeysTable;
    opendata_key_usage: KeyUsageTable;
    opendata_access_log: AccessLogTable;
  }
}

export type ApplicationRow = Selectable<ApplicationsTable>;
export type AccessLogRow = Selectable<AccessLogTable>;

export async function insertApplication(
  tx: Tx,
  row: Omit<
    ApplicationRow,
    | 'id'
    | 'status'
    | 'decided_by'
    | 'decided_at'
    | 'decision_note'
    | 'calls_per_day'
    | 'rows_per_day'
    | 'expires_at'
    | 'escalated_at'
  >,
): Promise<ApplicationRow> {
  return tx.insertInto('opendata_applications').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Pending applications past their review deadline, not yet escalated: marks them escalated. */
export function escalateOverdue(tx: Tx, now: Date) {
  return tx
    .updateTable('opendata_applications')
    .set({ escalated_at: now })
    .where('status', '=', 'pending')
    .where('due_at', '<', now)
    .where('escalated_at', 'is', null)
    .returning(['id', 'dataset_id', 'due_at'])
    .execute();
}

export function findApplication(tx: Tx, id: number) {
  return tx.selectFrom('opendata_applications').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findPending(tx: Tx, accountId: number, datasetId: number) {
  return tx
    .selectFrom('opendata_applications')
    .select('id')
    .where('account_id', '=', accountId)
    .where('dataset_id', '=', datasetId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
}

export interface ApplicationListRow extends ApplicationRow {
  dataset_name: string;
  dataset_title: string;
  department_id: number;
  key_prefix: string | null;
  calls_today: number;
  rows_today: number;
}

/** Applications with their dataset, the active key's prefix and today's usage. */
export function findApplications(
  tx: Tx,
  filter: { accountId?: number; departmentIds?: readonly number[]; status?: string },
  day: string,
): Promise<ApplicationListRow[]> {
  let q = tx
    .selectFrom('opendata_applications as a')
    .innerJoin('opendata_datasets as d', 'd.id', 'a.dataset_id')
    .leftJoin('opendata_keys as k', (j) => j.onRef('k.application_id', '=', 'a.id').on('k.status', '=', 'active'))
    .leftJoin('opendata_key_usage as u', (j) => j.onRef('u.application_id', '=', 'a.id').on('u.day', '=', day))
    .selectAll('a')
    .select([
      'd.name as dataset_name',
      'd.title as dataset_title',
      'd.department_id',
      'k.key_prefix',
      sql<number>`coalesce(u.calls, 0)`.as('calls_today'),
      sql<number>`coalesce(u.rows, 0)`.as('rows_today'),
    ])
    .orderBy('a.id', 'desc')
    .limit(500);
  if (filter.accountId !== undefined) q = q.where('a.account_id', '=', filter.accountId);
  if (filter.departmentIds)
    q = q.where('d.department_id', 'in', filter.departmentIds.length ? filter.departmentIds : [-1]);
  if (filter.status) q = q.where('a.status', '=', filter.status as 'pending');
  return q.execute() as Promise<ApplicationListRow[]>;
}

export function decide(
  tx: Tx,
  id: number,
  row: Pick<
    ApplicationRow,
    'status' | 'decided_by' | 'decided_at' | 'decision_note' | 'calls_per_day' | 'rows_per_day' | 'expires_at'
  >,
) {
  return tx
    .updateTable('opendata_applications')
    .set(row)
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .returningAll()
    .executeTakeFirst();
}

/** A new key for an application; the ones it had stop working (replaced). */
export async function insertKey(
  tx: Tx,
  row: { application_id: number; key_hash: Buffer; key_prefix: string; created_at: Date },
): Promise<void> {
  await tx
    .updateTable('opendata_keys')
    .set({ status: 'replaced', revoked_at: row.created_at, revoked_by: 'replaced' })
    .where('application_id', '=', row.application_id)
    .where('status', '=', 'active')
    .execute();
  await tx.insertInto('opendata_keys').values(row).execute();
}

export async function revokeKeys(tx: Tx, applicationId: number, by: string, at: Date): Promise<number> {
  const r = await tx
    .updateTable('opendata_keys')
    .set({ status: 'revoked', revoked_by: by, revoked_at: at })
    .where('application_id', '=', applicationId)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return Number(r.numUpdatedRows ?? 0);
}

/** A key by its hash, with the application it belongs to. */
export function findKey(tx: Tx, keyHash: Buffer) {
  return tx
    .selectFrom('opendata_keys as k')
    .innerJoin('opendata_applications as a', 'a.id', 'k.application_id')
    .select([
      'k.id as key_id',
      'k.status as key_status',
      'a.id as application_id',
      'a.dataset_id',
      'a.status',
      'a.expires_at',
      'a.calls_per_day',
      'a.rows_per_day',
    ])
    .where('k.key_hash', '=', keyHash)
    .executeTakeFirst();
}

/**
 * Counts one call against the day's quota, in one statement that also checks it: answers the rows already read
 * today, or undefined when the calls or the rows of the day are used up (nothing counted then).
 */
export async function claimCall(
  tx: Tx,
  applicationId: number,
  day: string,
  limits: { calls: number; rows: number },
): Promise<number | undefined> {
  const r = await sql<{ rows: number }>`
    insert into opendata_key_usage as u (application_id, day, calls, rows)
    select ${applicationId}, ${day}::date, 1, 0 where ${limits.calls} >= 1 and ${limits.rows} >= 1
    on conflict (application_id, day) do update set calls = u.calls + 1
      where u.calls < ${limits.calls} and u.rows < ${limits.rows}
    returning u.rows`.execute(tx);
  const row = r.rows[0];
  return row === undefined ? undefined : Number(row.rows);
}

export async function addRows(tx: Tx, applicationId: number, day: string, rows: number): Promise<void> {
  await tx
    .updateTable('opendata_key_usage')
    .set((eb) => ({ rows: eb('rows', '+', rows) }))
    .where('application_id', '=', applicationId)
    .where('day', '=', day)
    .execute();
}

export async function logAccess(tx: Tx, row: Omit<AccessLogRow, 'id'>): Promise<void> {
  await tx.insertInto('opendata_access_log').values(row).execute();
}

export function findAccessLog(tx: Tx, applicationId: number, limit: number) {
  return tx
    .selectFrom('opendata_access_log')
    .selectAll()
    .where('application_id', '=', applicationId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}
