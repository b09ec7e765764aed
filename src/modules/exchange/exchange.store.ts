// exchange SQL: share requests, grants, valve policy versions, the access log, usage counters, subscriptions and
// deliveries.
import { type ColumnType, type Generated, type Selectable, sql } from 'kysely';
import type { Tx } from '../../platform/db.ts';

type JsonArray = ColumnType<string[], string, string>;
type Json = ColumnType<unknown, string, string>;

interface ShareRequestsTable {
  id: Generated<number>;
  register_id: number;
  consumer_department_id: number;
  requested_by: number;
  fields: JsonArray;
  purpose: string;
  legal_basis: string;
  valid_until: Date;
  status: Generated<RequestStatus>;
  due_at: Date | null;
  escalated_at: Date | null;
  decided_by: number | null;
  decided_at: Date | null;
  decision_reason: string | null;
  created_at: Generated<Date>;
}
export type RequestStatus = 'pending' | 'approved' | 'rejected' | 'refused' | 'withdrawn';

interface GrantsTable {
  id: Generated<number>;
  request_id: number;
  register_id: number;
  consumer_department_id: number;
  kind: 'unconditional' | 'conditional';
  fields: JsonArray;
  clear_fields: JsonArray;
  purpose: string;
  valid_from: Date;
  valid_until: Date;
  rate_per_minute: number;
  daily_limit: number;
  status: Generated<'active' | 'revoked'>;
  version: Generated<number>;
  revoked_at: Date | null;
  revoked_by: number | null;
  revoke_reason: string | null;
  created_at: Generated<Date>;
}

interface ValvePoliciesTable {
  version: number;
  policy: string;
  comment: string | null;
  created_by: string;
  created_at: Generated<Date>;
}

interface AccessLogTable {
  id: Generated<number>;
  at: Generated<Date>;
  client_id: number | null;
  key_id: string | null;
  department_id: number | null;
  operation: string;
  register_code: string | null;
  grant_id: number | null;
  purpose: string | null;
  decision: 'allow' | 'deny';
  reason: string | null;
  status: number;
  fields: Json | null;
  rows: number | null;
  request_digest: string | null;
  response_digest: string | null;
  ip: string | null;
  duration_ms: number | null;
}

interface GrantUsageTable {
  grant_id: number;
  day: string;
  shard: number;
  count: number;
}

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
    share_requests: ShareRequestsTable;
    grants: GrantsTable;
    valve_policies: ValvePoliciesTable;
    access_log: AccessLogTable;
    grant_usage: GrantUsageTable;
    subscriptions: SubscriptionsTable;
    deliveries: DeliveriesTable;
    record_changes: RecordChangesTable;
  }
}

export type ShareRequestRow = Selectable<ShareRequestsTable>;
export type GrantRow = Selectable<GrantsTable>;
export type SubscriptionRow = Selectable<SubscriptionsTable>;
export type DeliveryRow = Selectable<DeliveriesTable>;
export type AccessLogRow = Selectable<AccessLogTable>;

const json = (value: unknown) => JSON.stringify(value);

// ---- share requests ----

/** "Consumed by one of these departments, or provided by one of those" (never everything by accident). */
function eitherSide(
  // biome-ignore lint/suspicious/noExplicitAny: the expression builder of either listing query
  eb: any,
  consumerColumn: string,
  consumers: readonly number[] | undefined,
  providers: readonly number[] | undefined,
) {
  return [
    ...(consumers?.length ? [eb(consumerColumn, 'in', consumers)] : []),
    ...(providers?.length ? [eb('r.department_id', 'in', providers)] : []),
    eb.val(false),
  ];
}

export function insertRequest(
  tx: Tx,
  row: {
    register_id: number;
    consumer_department_id: number;
    requested_by: number;
    fields: readonly string[];
    purpose: string;
    legal_basis: string;
    valid_until: Date;
    status: RequestStatus;
    due_at: Date | null;
    decision_reason: string | null;
    decided_at: Date | null;
  },
) {
  return tx
    .insertInto('share_requests')
    .values({ ...row, fields: json(row.fields) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findRequest(tx: Tx, id: number) {
  return tx.selectFrom('share_requests').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Moves a pending request to its decision; undefined when it was no longer pending. */
export function decideRequest(
  tx: Tx,
  id: number,
  row: { status: RequestStatus; decided_by: number | null; decision_reason: string | null },
) {
  return tx
    .updateTable('share_requests')
    .set({ ...row, decided_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .returningAll()
    .executeTakeFirst();
}

export interface RequestListRow extends ShareRequestRow {
  register_code: string;
  register_name: string;
  provider_department_id: number;
}

/** What a listing of requests or grants shows of the register (joined as `r`). */
const REGISTER_COLUMNS = [
  'r.code as register_code',
  sql<string>`r.metadata->>'name'`.as('register_name'),
  'r.department_id as provider_department_id',
] as const;

export function findRequests(
  tx: Tx,
  filter: {
    consumerDepartments?: readonly number[];
    providerDepartments?: readonly number[];
    status?: RequestStatus;
    overdueAt?: Date;
    limit: number;
  },
): Promise<RequestListRow[]> {
  let q = tx
    .selectFrom('share_requests as s')
    .innerJoin('registers as r', 'r.id', 's.register_id')
    .selectAll('s')
    .select(REGISTER_COLUMNS)
    .orderBy('s.id', 'desc')
    .limit(filter.limit);
  if (filter.consumerDepartments || filter.providerDepartments) {
    q = q.where((eb) =>
      eb.or(eitherSide(eb, 's.consumer_department_id', filter.consumerDepartments, filter.providerDepartments)),
    );
  }
  if (filter.status) q = q.where('s.status', '=', filter.status);
  if (filter.overdueAt) q = q.where('s.status', '=', 'pending').where('s.due_at', '<', filter.overdueAt);
  return q.execute() as Promise<RequestListRow[]>;
}

/** Pending requests past their due time not yet escalated; marks them escalated. */
export function escalateOverdue(tx: Tx, now: Date) {
  return tx
    .updateTable('share_requests')
    .set({ escalated_at: now })
    .where('status', '=', 'pending')
    .where('due_at', '<', now)
    .where('escalated_at', 'is', null)
    .returningAll()
    .execute();
}

// ---- grants ----

export function insertGrant(
  tx: Tx,
  row: {
    request_id: number;
    register_id: number;
    consumer_department_id: number;
    kind: 'unconditional' | 'conditional';
    fields: readonly string[];
    clear_fields: readonly string[];
    purpose: string;
    valid_from: Date;
    valid_until: Date;
    rate_per_minute: number;
    daily_limit: number;
  },
) {
  return tx
    .insertInto('grants')
    .values({ ...row, fields: json(row.fields), clear_fields: json(row.clear_fields) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findGrant(tx: Tx, id: number) {
  return tx.selectFrom('grants').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A department's grants on a register, the active ones first, newest first. */
export function findGrantsFor(tx: Tx, departmentId: number, registerId: number) {
  return tx
    .selectFrom('grants')
    .selectAll()
    .where('consumer_department_id', '=', departmentId)
    .where('register_id', '=', registerId)
    .orderBy(sql`status = 'active'`, 'desc')
    .orderBy('id', 'desc')
    .limit(20)
    .execute();
}

export interface GrantListRow extends GrantRow {
  register_code: string;
  register_name: string;
  provider_department_id: number;
}

export function findGrants(
  tx: Tx,
  filter: { consumerDepartments?: readonly number[]; providerDepartments?: readonly number[]; limit: number },
): Promise<GrantListRow[]> {
  let q = tx
    .selectFrom('grants as g')
    .innerJoin('registers as r', 'r.id', 'g.register_id')
    .selectAll('g')
    .select(REGISTER_COLUMNS)
    .orderBy('g.id', 'desc')
    .limit(filter.limit);
  if (filter.consumerDepartments || filter.providerDepartments) {
    q = q.where((eb) =>
      eb.or(eitherSide(eb, 'g.consumer_department_id', filter.consumerDepartments, filter.providerDepartments)),
    );
  }
  return q.execute() as Promise<GrantListRow[]>;
}

export function findGrantIdsOfRequests(tx: Tx, requestIds: readonly number[]) {
  if (requestIds.length === 0) return Promise.resolve([] as Array<{ id: number; request_id: number }>);
  return tx.selectFrom('grants').select(['id', 'request_id']).where('request_id', 'in', requestIds).execute();
}

export function revokeGrant(tx: Tx, id: number, row: { revoked_by: number; revoke_reason: string }) {
  return tx
    .updateTable('grants')
    .set({ ...row, status: 'revoked', revoked_at: sql<Date>`now()`, version: sql<number>`version + 1` })
    .where('id', '=', id)
    .where('status', '=', 'active')
    .returningAll()
    .executeTakeFirst();
}

// ---- usage (daily volume) ----

export const USAGE_SHARDS = 8;

export async function usageToday(tx: Tx, grantId: number, day: string): Promise<number> {
  const r = await sql<{ n: number | null }>`
    select sum(count)::int as n from grant_usage where grant_id = ${grantId} and day = ${day}::date`.execute(tx);
  return Number(r.rows[0]?.n ?? 0);
}

export async function countUsage(tx: Tx, grantId: number, day: string): Promise<void> {
  const shard = Math.floor(Math.random() * USAGE_SHARDS);
  await sql`
    insert into grant_usage (grant_id, day, shard, count) values (${grantId}, ${day}::date, ${shard}, 1)
    on conflict (grant_id, day, shard) do update set count = grant_usage.count + 1`.execute(tx);
}

// ---- valve policies ----

export function findCurrentPolicy(tx: Tx) {
  return tx.selectFrom('valve_policies').selectAll().orderBy('version', 'desc').limit(1).executeTakeFirst();
}

export async function currentPolicyVersion(tx: Tx): Promise<number> {
  const r = await sql<{ v: number | null }>`select max(version) as v from valve_policies`.execute(tx);
  return Number(r.rows[0]?.v ?? 0);
}

export function findPolicyVersions(tx: Tx) {
  return tx
    .selectFrom('valve_policies')
    .select(['version', 'comment', 'created_by', 'created_at'])
    .orderBy('version', 'desc')
    .execute();
}

export function findPolicy(tx: Tx, version: number) {
  return tx.selectFrom('valve_policies').selectAll().where('version', '=', version).executeTakeFirst();
}

/** Adds the next version; undefined when another version was saved since `expectedVersion`. */
export async function insertPolicy(
  tx: Tx,
  expectedVersion: number,
  row: { policy: string; comment: string | null; created_by: string },
) {
  return tx
    .insertInto('valve_policies')
    .values({ ...row, version: expectedVersion + 1 })
    .onConflict((oc) => oc.column('version').doNothing())
    .returningAll()
    .executeTakeFirst();
}

// ---- access log ----

export interface AccessLogInput {
  client_id: number | null;
  key_id: string | null;
  department_id: number | null;
  operation: string;
  register_code: string | null;
  grant_id: number | null;
  purpose: string | null;
  decision: 'allow' | 'deny';
  reason: string | null;
  status: number;
  fields: unknown;
  rows: number | null;
  request_digest: string | null;
  response_digest: string | null;
  ip: string | null;
  duration_ms: number | null;
}

export async function insertAccessLog(tx: Tx, row: AccessLogInput): Promise<void> {
  await tx
    .insertInto('access_log')
    .values({ ...row, fields: row.fields === null ? null : json(row.fields) })
    .execute();
}

export function findAccessLog(
  tx: Tx,
  filter: {
    departments?: readonly number[];
    registerCodes?: readonly string[];
    decision?: 'allow' | 'deny';
    clientId?: number;
    registerCode?: string;
    before?: number;
    limit: number;
  },
) {
  let q = tx.selectFrom('access_log').selectAll().orderBy('id', 'desc').limit(filter.limit);
  if (filter.departments || filter.registerCodes) {
    const { departments, registerCodes } = filter;
    q = q.where((eb) =>
      eb.or([
        ...(departments?.length ? [eb('department_id', 'in', departments)] : []),
        ...(registerCodes?.length ? [eb('register_code', 'in', registerCodes)] : []),
        eb.val(false),
      ]),
    );
  }
  if (filter.decision) q = q.where('decision', '=', filter.decision);
  if (filter.clientId !== undefined) q = q.where('client_id', '=', filter.clientId);
  if (filter.registerCode) q = q.where('register_code', '=', filter.registerCode);
  if (filter.before !== undefined) q = q.where('id', '<', filter.before);
  return q.execute();
}

// ---- subscriptions ----

export function insertSubscription(
  tx: Tx,
  row: { grant_id: number; client_id: number; register_id: number; url: string },
) {
  return tx.insertInto('subscriptions').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findSubscription(tx: Tx, id: number) {
  return tx.selectFrom('subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface SubscriptionListRow extends SubscriptionRow {
  register_code: string;
  key_id: string;
  consumer_department_id: number;
  provider_department_id: number;
}

export function findSubscriptions(
  tx: Tx,
  filter: { clientId?: number; departments?: readonly number[]; limit: number },
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

export function cancelSubscription(tx: Tx, id: number) {
  return tx
    .updateTable('subscriptions')
    .set({ status: 'cancelled', cancelled_at: sql<Date>`now()` })
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
