// Counters shared by every instance, kept in PostgreSQL: a limit set for a zone holds however many instances serve
// it. Windows are fixed and aligned to the epoch (every instance agrees on the window by its start); counts of ended
// windows are swept after a day.
import { sql } from 'kysely';
import type { Db } from './db.ts';

export interface Window {
  /** events (or units) counted in the current window, this one included */
  readonly count: number;
  /** seconds until the window ends, at least 1 */
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
    return { start: new Date(start), retryAfterSeconds: Math.max(1, Math.ceil((start + windowMs - t) / 1000)) };
  }

  /** Counts one event under `key` in the window of `windowMs` now (or at `at`); answers the window's count so far. */
  async hit(key: string, windowMs: number, at?: number): Promise<Window> {
    const w = this.window(windowMs, at);
    this.sweepSometimes();
    const [row] = await this.db.prepared(sql<{ count: number }>`
      insert into rate_counters as c (key, window_start, count) values (${key}, ${w.start}, 1)
      on conflict (key, window_start) do update set count = c.count + 1
      returning count`);
    return { count: Number(row?.count ?? 1), retryAfterSeconds: w.retryAfterSeconds };
  }

  /**
   * Claims up to `units` of a budget of `limit` per window, atomically across instances: answers how many were
   * granted (0 when the window's budget is spent). The row lock of the upsert orders concurrent claims.
   */
  async claim(key: string, windowMs: number, units: number, limit: number): Promise<{ granted: number } & Window> {
    const w = this.window(windowMs);
    this.sweepSometimes();
    const [row] = await this.db.prepared(sql<{ count: number; granted: number }>`
      insert into rate_counters as c (key, window_start, count, granted)
      values (${key}, ${w.start}, least(${units}::int, ${limit}::int), least(${units}::int, ${limit}::int))
      on conflict (key, window_start) do update
        set granted = least(${units}::int, greatest(${limit}::int - c.count, 0)),
            count = c.count + least(${units}::int, greatest(${limit}::int - c.count, 0))
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
