// Group commit for answered exchange calls. Each call's records — its count against the grant's daily volume, its
// access-log row and its ledger entry — must be committed before its response leaves; calls that finish while a
// write is in flight share the next statement, so under load many calls cost one round trip and one commit.
import { sql } from 'kysely';
import type { Db } from '../../platform/db.ts';
import { recordNoncesSql, touchClientsSql } from '../auth/index.ts';
import { ledgerQueueInsert, type PreparedEntry } from '../ledger/index.ts';
import type { AccessLogInput } from './exchange.store.ts';
import { USAGE_SHARDS } from './exchange.store.ts';

export interface AnswerRows {
  /** The request's nonce: recorded here, and a replay's rows are not written. */
  readonly nonce: { readonly keyId: string; readonly nonce: string };
  readonly usage: { readonly grantId: number; readonly day: string };
  readonly log: AccessLogInput;
  readonly ledger: PreparedEntry;
}

interface Waiting {
  readonly rows: AnswerRows;
  resolve(fresh: boolean): void;
  reject(e: unknown): void;
}

export class AnswerWriter {
  private readonly db: Db;
  private readonly clock: () => Date;
  private queue: Waiting[] = [];
  private inFlight = 0;
  private scheduled = false;
  private readonly maxInFlight: number;
  private readonly maxBatch: number;
  /** Statements written and calls carried (the batching achieved). */
  readonly stats = { statements: 0, calls: 0 };

  constructor(db: Db, clock: () => Date, options: { maxInFlight?: number; maxBatch?: number } = {}) {
    this.db = db;
    this.clock = clock;
    this.maxInFlight = options.maxInFlight ?? 2;
    this.maxBatch = options.maxBatch ?? 500;
  }

  /**
   * Resolves true once the rows are committed, false when the nonce had been used (a replay: nothing written);
   * rejects (nothing written) if the statement fails.
   */
  write(rows: AnswerRows): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ rows, resolve, reject });
      this.kick();
    });
  }

  private kick(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight || this.queue.length === 0) return;
    this.scheduled = true;
    // Let the calls finishing in this turn of the event loop join the batch.
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.inFlight >= this.maxInFlight || this.queue.length === 0) return;
    const batch = this.queue.splice(0, this.maxBatch);
    this.inFlight++;
    this.stats.statements++;
    this.stats.calls += batch.length;
    try {
      const rows = await this.db.prepared(
        statement(
          batch.map((w) => w.rows),
          this.clock(),
        ),
      );
      const written = new Set(rows.map((r) => Number(r.ord)));
      batch.forEach((w, i) => {
        w.resolve(written.has(i));
      });
    } catch (e) {
      for (const w of batch) w.reject(e);
    } finally {
      this.inFlight--;
      this.kick();
    }
  }
}

function statement(rows: readonly AnswerRows[], now: Date) {
  const nonces = JSON.stringify(rows.map((r, ord) => ({ ord, key_id: r.nonce.keyId, nonce: r.nonce.nonce })));
  const usage = rows.map((r, ord) => ({
    ord,
    grant_id: r.usage.grantId,
    day: r.usage.day,
    shard: Math.floor(Math.random() * USAGE_SHARDS),
  }));
  const logs = rows.map((r, ord) => ({ ord, ...r.log, fields: r.log.fields ?? null }));
  return sql<{ ord: number }>`
    with fresh as (
      ${recordNoncesSql(nonces)}
    ), ok as (
      -- one call per nonce: the first of a batch that carries the same nonce twice
      select min(x.ord) as ord from jsonb_to_recordset(${nonces}::jsonb) as x(ord int, key_id text, nonce text)
      join fresh f on f.key_id = x.key_id and f.nonce = x.nonce group by x.key_id, x.nonce
    ), touched as (
      ${touchClientsSql(
        rows.map((r) => r.nonce.keyId),
        now,
      )}
    ), usage as (
      insert into grant_usage (grant_id, day, shard, count)
      select u.grant_id, u.day::date, u.shard, count(*)
      from jsonb_to_recordset(${JSON.stringify(usage)}::jsonb) as u(ord int, grant_id bigint, day text, shard int)
      where u.ord in (select ord from ok)
      group by u.grant_id, u.day, u.shard
      -- in key order, so that two batches in flight lock the same counters in the same order (no deadlock)
      order by u.grant_id, u.day, u.shard
      on conflict (grant_id, day, shard) do update set count = grant_usage.count + excluded.count
    ), logged as (
      insert into access_log (client_id, key_id, department_id, operation, register_code, grant_id, purpose, decision,
                              reason, status, fields, rows, request_digest, response_digest, ip, duration_ms)
      select a.client_id, a.key_id, a.department_id, a.operation, a.register_code, a.grant_id, a.purpose, a.decision,
             a.reason, a.status, a.fields, a.rows, a.request_digest, a.response_digest, a.ip, a.duration_ms
      from jsonb_to_recordset(${JSON.stringify(logs)}::jsonb) as a(ord int, client_id bigint, key_id text,
           department_id bigint, operation text, register_code text, grant_id bigint, purpose text, decision text,
           reason text, status int, fields jsonb, rows int, request_digest text, response_digest text, ip text,
           duration_ms real)
      where a.ord in (select ord from ok)
    ), queued as (
      ${ledgerQueueInsert(
        rows.map((r) => r.ledger.row),
        sql`(select ord from ok)`,
      )}
    )
    select ord from ok`;
}
