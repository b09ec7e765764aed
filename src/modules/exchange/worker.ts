// The exchange's background work, run by every serving instance (each step is safe to run on several): fan the
// registry's outbox out to subscriptions, post due webhooks, escalate overdue share requests, prune old deliveries.
import type { DatabaseHandle } from '../../platform/db.ts';
import type { Logger } from '../../platform/log.ts';
import type { ZoneLedger } from '../ledger/index.ts';
import type { AccessDeps } from './access.service.ts';
import { escalateOverdueRequests } from './requests.service.ts';
import { deliverDue, dispatchChanges, type NodeSigner, pruneDeliveries } from './subscriptions.service.ts';

export interface WorkerOptions {
  readonly database: DatabaseHandle;
  readonly exchange: AccessDeps & { readonly webhookAllowPrivate: boolean };
  readonly internalLedger: ZoneLedger;
  readonly signer: NodeSigner;
  readonly log: Logger;
  readonly intervalMs?: number;
  readonly retentionDays?: number;
  readonly webhookTimeoutMs?: number;
  /** Other modules' minute chores (escalations of their own), each answering how many things it did. */
  readonly chores?: ReadonlyArray<{
    readonly what: string;
    readonly run: () => Promise<number>;
    /** How loudly a chore that did something is logged (default warn: something was overdue). */
    readonly level?: 'info' | 'warn';
  }>;
}

export class ExchangeWorker {
  private readonly o: WorkerOptions;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = true;
  private lastHousekeeping = 0;

  constructor(options: WorkerOptions) {
    this.o = options;
  }

  start(): void {
    this.stopped = false;
    const tick = async () => {
      if (this.stopped) return;
      try {
        await this.step();
      } catch (e) {
        this.o.log.error({ err: e }, 'exchange worker step failed; will retry');
      }
      if (!this.stopped) this.timer = setTimeout(() => (this.running = tick()), this.o.intervalMs ?? 500);
    };
    this.running = tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running.catch(() => {});
  }

  /** One round: dispatch everything queued, deliver what is due, and (once a minute) the housekeeping. */
  async step(): Promise<{ dispatched: number; delivered: number }> {
    let dispatched = 0;
    for (let n = await dispatchChanges(this.o.exchange); n > 0; n = await dispatchChanges(this.o.exchange)) {
      dispatched += n;
    }
    const delivered = await deliverDue({
      db: this.o.exchange.db,
      clock: this.o.exchange.clock,
      signer: this.o.signer,
      timeoutMs: this.o.webhookTimeoutMs ?? 10_000,
      allowPrivate: this.o.exchange.webhookAllowPrivate,
    });
    const now = this.o.exchange.clock().getTime();
    if (now - this.lastHousekeeping > 60_000) {
      this.lastHousekeeping = now;
      const escalated = await escalateOverdueRequests({
        db: this.o.database.forZone('internal'),
        ledger: this.o.internalLedger,
        clock: this.o.exchange.clock,
      });
      if (escalated > 0) this.o.log.warn({ escalated }, 'overdue share requests escalated to the platform admin');
      await pruneDeliveries(this.o.exchange, this.o.retentionDays ?? 7);
      for (const chore of this.o.chores ?? []) {
        const done = await chore.run();
        if (done > 0) this.o.log[chore.level ?? 'warn']({ done }, chore.what);
      }
    }
    return { dispatched, delivered };
  }
}
