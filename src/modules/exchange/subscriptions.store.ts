// exchange SQL of subscriptions: the registry's outbox of record changes (record_changes, filled by its trigger), the
// subscriptions and their numbered deliveries. Every function takes the transaction.
import { type ColumnType, type Generated, type Selectable, sql } from 'kysely';
import type { Tx } from '../../platform/db.ts';
import { LOCKS } from '../../platform/locks.ts';

type Json = ColumnType<unknown, string, string>;

interface SubscriptionsTable {
  id: Generated<number>;
  grant_id: number;
  client_id: number;
  register_id: number;
  url: string;
  status: Generated<'active' | 'cancelled'>;
  last_seq: Generated<number>;
  delivered_seq: Generated<number>;
  failures: Generated<number>;
  next_attempt_at: Generated<Date>;
  last_error: string | null;
  created_at: Generated<Date>;
  cancelled_at: Date | null;
}

interface DeliveriesTable {
  subscription_id: number;
  seq: number;
  record_id: number;
  record_version: number;
  op: 'created' | 'updated' | 'deleted';
  payload: Json;
  created_at: Generated<Date>;
  delivered_at: Date | null;
}

interface RecordChangesTable {
  id: Generated<number>;
  register_id: number;
  record_id: number;
  version: number;
  deleted: boolean;
  changed_at: Generated<Date>;
}

declare module '../../platform/db.ts' {
  interface Database {
    subscriptions: SubscriptionsTable;
    deliveries: DeliveriesTable;
    record_changes: RecordChangesTable;
  }
}

export type SubscriptionRow = Selectable<SubscriptionsTable>;
export type DeliveryRow = Selectable<DeliveriesTable>;
export type RecordChangeRow = Selectable<RecordChangesTable>;

export function insertSubscription(
  tx: Tx,
  row: { grant_id: number; client_id: number; register_id: number; url: string },
) {
  return tx.insertInto('subscriptions').values(row).returningAll().executeTakeFirstOrThrow();
}

export interface SubscriptionListRow extends SubscriptionRow {
  register_code: string;
  key_id: string;
  consumer_department_id: number;
  provider_department_id: number;
}

export function findSubscriptions(
  tx: Tx,
  filter: { id?: number; clientId?: number; departments?: readonly number[]; limit: number },
): Promise<SubscriptionListRow[]> {
  let q = tx
    .selectFrom('subscriptions as s')
    .innerJoin('registers as r', 'r.id', 's.register_id')
    .innerJoin('api_clients as c', 'c.id', 's.client_id')
    .selectAll('s')
    .select([
      'r.code as register_code',
      'c.key_id as key_id',
      'c.department_id as consumer_department_id',
      'r.department_id as provider_department_id',
    ])
    .orderBy('s.id', 'desc')
    .limit(filter.limit);
  if (filter.id !== undefined) q = q.where('s.id', '=', filter.id);
  if (filter.clientId !== undefined) q = q.where('s.client_id', '=', filter.clientId);
  if (filter.departments) {
    const departments = filter.departments;
    q = q.where((eb) =>
      departments.length
        ? eb.or([eb('c.department_id', 'in', departments), eb('r.department_id', 'in', departments)])
        : eb.val(false),
    );
  }
  return q.execute() as Promise<SubscriptionListRow[]>;
}

export function cancelSubscription(tx: Tx, id: number, at: Date) {
  return tx
    .updateTable('subscriptions')
    .set({ status: 'cancelled', cancelled_at: at })
    .where('id', '=', id)
    .where('status', '=', 'active')
    .returningAll()
    .executeTakeFirst();
}

export function findDeliveries(tx: Tx, subscriptionId: number, after: number, limit: number) {
  return tx
    .selectFrom('deliveries')
    .selectAll()
    .where('subscription_id', '=', subscriptionId)
    .where('seq', '>', after)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

// ---- dispatch: the outbox into deliveries ----

/** One dispatcher at a time, for this transaction (keeps each subscription's sequence numbers in order). */
export async function tryDispatchLock(tx: Tx): Promise<boolean> {
  const { rows } = await sql<{
    ok: boolean;
  }>`select pg_try_advisory_xact_lock(${LOCKS.exchangeDispatch}) as ok`.execute(tx);
  return rows[0]?.ok === true;
}

export function oldestChanges(tx: Tx, limit: number) {
  return tx.selectFrom('record_changes').selectAll().orderBy('id').limit(limit).execute();
}

export async function forgetChanges(tx: Tx, ids: readonly number[]): Promise<void> {
  if (ids.length > 0) await tx.deleteFrom('record_changes').where('id', 'in', ids).execute();
}

/** The active subscriptions to these registers, with their client's key, department and status. */
export function activeSubscriptionsTo(tx: Tx, registerIds: readonly number[]) {
  return tx
    .selectFrom('subscriptions as s')
    .innerJoin('api_clients as c', 'c.id', 's.client_id')
    .selectAll('s')
    .select(['c.key_id', 'c.department_id', 'c.status as client_status'])
    .where('s.status', '=', 'active')
    .where('s.register_id', 'in', registerIds)
    .execute();
}

export interface NewDelivery {
  readonly subscription_id: number;
  readonly seq: number;
  readonly record_id: number;
  readonly record_version: number;
  readonly op: DeliveryRow['op'];
  readonly payload: string;
}

/** Queues deliveries and moves the subscription's last sequence number to the last of them. */
export async function queueDeliveries(tx: Tx, subscriptionId: number, rows: readonly NewDelivery[]): Promise<void> {
  const last = rows.at(-1);
  if (!last) return;
  for (let i = 0; i < rows.length; i += 500) {
    await tx
      .insertInto('deliveries')
      .values(rows.slice(i, i + 500))
      .execute();
  }
  await tx.updateTable('subscriptions').set({ last_seq: last.seq }).where('id', '=', subscriptionId).execute();
}

// ---- delivery ----

/** Claims subscriptions with deliveries due, leasing them until `leaseUntil` so that no other worker takes them. */
export async function claimDue(tx: Tx, now: Date, leaseUntil: Date, limit: number): Promise<SubscriptionRow[]> {
  const rows = await tx
    .selectFrom('subscriptions')
    .selectAll()
    .where('status', '=', 'active')
    .where('next_attempt_at', '<=', now)
    .whereRef('delivered_seq', '<', 'last_seq')
    .orderBy('next_attempt_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
  if (rows.length > 0) {
    await tx
      .updateTable('subscriptions')
      .set({ next_attempt_at: leaseUntil })
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
  }
  return rows;
}

export async function markDelivered(tx: Tx, subscriptionId: number, seq: number, at: Date): Promise<void> {
  await tx
    .updateTable('deliveries')
    .set({ delivered_at: at })
    .where('subscription_id', '=', subscriptionId)
    .where('seq', '=', seq)
    .execute();
  await tx
    .updateTable('subscriptions')
    .set({ delivered_seq: seq, failures: 0, last_error: null })
    .where('id', '=', subscriptionId)
    .where('delivered_seq', '<', seq)
    .execute();
}

/** After a round of delivery: the failure count and when to try next (a backoff after a failure). */
export async function scheduleNext(
  tx: Tx,
  subscriptionId: number,
  next: { failures: number; at: Date; error?: string },
): Promise<void> {
  await tx
    .updateTable('subscriptions')
    .set({ failures: next.failures, next_attempt_at: next.at, ...(next.error ? { last_error: next.error } : {}) })
    .where('id', '=', subscriptionId)
    .execute();
}

export async function pruneDelivered(tx: Tx, before: Date): Promise<number> {
  const r = await tx.deleteFrom('deliveries').where('delivered_at', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows ?? 0);
}
