// Counters shared by every instance, kept in PostgreSQL: a limit set for a zone holds however many instances serve
// it. Counts live in fixed windows aligned to the epoch (every instance agrees on a window by its start), and a limit
// is checked over a sliding window: this window's count plus the previous window's, weighted by how much of it the
// sliding window still covers — so a limit does not reset at a window's edge. Counts of old windows are swept.
import { sql } from 'kysely';
import type { Db } from './db.ts';

export interface Window {
  /** events (or units) counted over the sliding window, this one included (the previous window's part rounded up) */
  readonly count: number;
  /** seconds until the current fixed window ends, at least 1 */
  readonly retryAfterSeconds: number;
}

const SWEEP_EVERY_MS = 10 * 60_000;
const KEEP_MS = 86_400_000;

export class SharedCounters {
  private readonly db: Db;
  private readonly now: () => number;
  private sweptAt = 0;

  constructor(db: Db, now: () => number = Date.now) {
    this.db = db;
    this.now = now;
  }

  private window(windowMs: number, at?: number) {
    const t = at ?? this.now();
    const start = Math.floor(t / windowMs) * windowMs;
    return {
      start: new Date(start),
      previous: new Date(start - windowMs),
      /** how much of the previous window the sliding window still covers */
      weight: 1 - (t - start) / windowMs,
      retryAfterSeconds: Math.max(1, Math.ceil((start + windowMs - t) / 1000)),
    };
  }

  /** Counts one event under `key` now (or at `at`); answers the count over the sliding window of `windowMs`. */
  async hit(key: string, windowMs: number, at?: number): Promise<Window> {
    const w = this.window(windowMs, at);
    this.sweepSometimes();
    const [row] = await this.db.prepared(sql<{ count: number; previous: number }>`
      with cur as (
        insert into rate_counters as c (key, window_start, count) values (${key}, ${w.start}, 1)
        on conflict (key, window_start) do update set count = c.count + 1
        returning count)
      select (select count from cur) as count,
             coalesce((select count from rate_counters where key = ${key} and window_start = ${w.previous}), 0) as previous`);
    const count = Number(row?.count ?? 1) + Math.ceil(Number(row?.previous ?? 0) * w.weight);
    return { count, retryAfterSeconds: w.retryAfterSeconds };
  }

  /**
   * Claims up to `units` of a budget of `limit` per sliding window, atomically across instances: answers how many
   * were granted (0 when the budget is spent). The row lock of the upsert orders concurrent claims.
   */
  async claim(key: string, windowMs: number, units: number, limit: number): Promise<{ granted: number } & Window> {
    const w = this.window(windowMs);
    this.sweepSometimes();
    // What the previous window still takes of the budget, rounded up; the rest is this window's.
    const left = sql`(${limit}::int - ceil(coalesce((select count from rate_counters
                      where key = ${key} and window_start = ${w.previous}), 0) * ${w.weight}::float8)::int)`;
    const [row] = await this.db.prepared(sql<{ count: number; granted: number }>`
      insert into rate_counters as c (key, window_start, count, granted)
      select ${key}, ${w.start}, g, g from (select least(${units}::int, greatest(${left}, 0)) as g) as first
      on conflict (key, window_start) do update
        set granted = least(${units}::int, greatest(${left} - c.count, 0)),
            count = c.count + least(${units}::int, greatest(${left} - c.count, 0))
      returning count, granted`);
    return {
      granted: Number(row?.granted ?? 0),
      count: Number(row?.count ?? 0),
      retryAfterSeconds: w.retryAfterSeconds,
    };
  }

  private sweepSometimes(): void {
    const t = this.now();
    if (t - this.sweptAt < SWEEP_EVERY_MS) return;
    this.sweptAt = t;
    void this.db.prepared(sql`delete from rate_counters where window_start < ${new Date(t - KEEP_MS)}`).catch(() => {
      this.sweptAt = 0; // try again next time
    });
  }
}

/**
 * A limit per window on a hot path, without a database round trip per call: each instance takes units from a lease
 * it claims in blocks from the shared budget (a twentieth of the limit, at least one), so the instances together
 * never pass the limit; an instance may leave up to one block unused when the window ends. Concurrent takes on one
 * key share one claim.
 */
export class LeasedBudget {
  private readonly counters: SharedCounters;
  private readonly now: () => number;
  private readonly leases = new Map<string, { window: number; left: number; claiming?: Promise<void> }>();

  constructor(counters: SharedCounters, now: () => number = Date.now) {
    this.counters = counters;
    this.now = now;
  }

  /** Takes one unit of `limit` per `windowMs` for `key`: 0 when allowed, else the seconds until the window ends. */
  async take(key: string, windowMs: number, limit: number): Promise<number> {
    for (;;) {
      const window = Math.floor(this.now() / windowMs);
      let lease = this.leases.get(key);
      if (!lease || lease.window !== window) {
        lease = { window, left: 0 };
        this.leases.set(key, lease);
        if (this.leases.size > 100_000) this.forgetOld(window);
      }
      if (lease.left > 0) {
        lease.left--;
        return 0;
      }
      if (lease.left < 0) return Math.max(1, Math.ceil(((window + 1) * windowMs - this.now()) / 1000));
      if (!lease.claiming) {
        const l = lease;
        l.claiming = this.counters
          .claim(key, windowMs, Math.max(1, Math.ceil(limit / 20)), limit)
          .then((c) => {
            l.left = c.granted > 0 ? c.granted : -1; // -1: this window's budget is spent
          })
          .finally(() => {
            l.claiming = undefined;
          });
      }
      await lease.claiming;
    }
  }

  private forgetOld(window: number): void {
    for (const [k, l] of this.leases) if (l.window !== window) this.leases.delete(k);
  }
}
