// opendata usage SQL: per dataset and day, views, downloads and API calls (counts, never who). Every function takes
// the transaction.
import { sql } from 'kysely';
import type { Tx } from '../../platform/db.ts';
import { LOCKS } from '../../platform/locks.ts';

interface UsageTable {
  dataset_id: number;
  day: string;
  views: number;
  downloads: number;
  api_calls: number;
}

declare module '../../platform/db.ts' {
  interface Database {
    opendata_usage: UsageTable;
  }
}

export type UsageKind = 'views' | 'downloads' | 'api_calls';
export interface UsageDay {
  readonly day: string;
  readonly views: number;
  readonly downloads: number;
  readonly api_calls: number;
}

/** Adds one to a dataset's count of the day (one statement: concurrent counts on every instance add up). */
export async function countUsage(tx: Tx, datasetId: number, day: string, kind: UsageKind): Promise<void> {
  const column = sql.ref(kind);
  await sql`
    insert into opendata_usage (dataset_id, day, ${column}) values (${datasetId}, ${day}::date, 1)
    on conflict (dataset_id, day) do update set ${column} = opendata_usage.${column} + 1`.execute(tx);
}

/** A dataset's days from a day on, oldest first. */
export async function usageOf(tx: Tx, datasetId: number, from: string): Promise<UsageDay[]> {
  const r = await sql<UsageDay>`
    select to_char(day, 'YYYY-MM-DD') as day, views, downloads, api_calls from opendata_usage
    where dataset_id = ${datasetId} and day >= ${from}::date order by day`.execute(tx);
  return r.rows;
}

export async function usageTotals(tx: Tx, datasetId: number): Promise<Omit<UsageDay, 'day'>> {
  const r = await sql<Omit<UsageDay, 'day'>>`
    select coalesce(sum(views), 0)::int as views, coalesce(sum(downloads), 0)::int as downloads,
           coalesce(sum(api_calls), 0)::int as api_calls
    from opendata_usage where dataset_id = ${datasetId}`.execute(tx);
  return r.rows[0] ?? { views: 0, downloads: 0, api_calls: 0 };
}

/** Every dataset's days before a day, by dataset name and day: the usage dataset's rows. */
export async function usageBefore(tx: Tx, before: string): Promise<Array<UsageDay & { dataset: string }>> {
  const r = await sql<UsageDay & { dataset: string }>`
    select d.name as dataset, to_char(u.day, 'YYYY-MM-DD') as day, u.views, u.downloads, u.api_calls
    from opendata_usage u join opendata_datasets d on d.id = u.dataset_id
    where u.day < ${before}::date order by d.name, u.day`.execute(tx);
  return r.rows;
}

/** Totals of many datasets at once, by dataset id (a dataset never used is absent). */
export async function totalsOf(tx: Tx, datasetIds: readonly number[]): Promise<Map<number, Omit<UsageDay, 'day'>>> {
  if (datasetIds.length === 0) return new Map();
  const r = await sql<Omit<UsageDay, 'day'> & { dataset_id: number }>`
    select dataset_id, sum(views)::int as views, sum(downloads)::int as downloads, sum(api_calls)::int as api_calls
    from opendata_usage where dataset_id = any(${[...datasetIds]}::bigint[]) group by dataset_id`.execute(tx);
  return new Map(r.rows.map((row) => [Number(row.dataset_id), row]));
}

/** Takes the usage dataset's release for this transaction; false when another instance holds it. */
export async function claimUsageRelease(tx: Tx): Promise<boolean> {
  const r = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(${LOCKS.opendataUsage}) as ok`.execute(tx);
  return r.rows[0]?.ok === true;
}
