// Group commit for answered exchange calls. Each call's records — its count against the grant's daily volume, its
// access-log row and its ledger entry — must be committed before its response leaves; calls that finish while a
// write is in flight share the next statement, so under load many calls cost one round trip and one commit.
import type { Db } from '../../platform/db.ts';
import { type AnswerRows, answersSql } from './exchange.store.ts';

export type { AnswerRows };

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
        answersSql(
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
