// The integrator: the one writer of the log. It takes queued entries in batches, assigns contiguous indexes, stores
// every newly complete subtree hash and signs a checkpoint, all in one transaction, so a crash leaves either the
// whole batch in the log or none of it. Several instances may run; an advisory lock elects one leader.
import type { DatabaseHandle, RawSession } from '../../platform/db.ts';
import type { Logger } from '../../platform/log.ts';
import type { LedgerNode } from './ledger.service.ts';
import * as store from './ledger.store.ts';
import { Frontier, leafHash } from './merkle.ts';
import { type LogKey, signNote } from './profile.ts';
import { formatCheckpoint } from './verify.ts';

const LEADER_LOCK = 7_304_991_206; // constant: "zhengtong ledger integrator"

export interface IntegratorOptions {
  readonly database: DatabaseHandle;
  readonly node: LedgerNode;
  readonly log: Logger;
  /** How often to look for queued entries; a checkpoint follows every batch, so this bounds publication delay. */
  readonly intervalMs?: number;
  readonly batchSize?: number;
}

export class Integrator {
  private readonly options: IntegratorOptions;
  private frontier: Frontier | undefined;
  private key: LogKey | undefined;
  private timer: NodeJS.Timeout | undefined;
  private session: RawSession | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;
  leader = false;

  constructor(options: IntegratorOptions) {
    this.options = options;
  }

  /** Starts the loop: try to become leader, then integrate every interval until stopped. */
  start(): void {
    this.stopped = false;
    const tick = async () => {
      if (this.stopped) return;
      try {
        if (!this.leader) await this.tryLead();
        if (this.leader) await this.integrate();
      } catch (e) {
        this.options.log.error({ err: e }, 'ledger integration failed; will retry');
        this.frontier = undefined; // reload from the database next time
      }
      if (!this.stopped) {
        this.timer = setTimeout(() => {
          this.running = tick();
        }, this.options.intervalMs ?? 200);
      }
    };
    this.running = tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running.catch(() => {});
    if (this.session) {
      if (this.leader) await this.session.query('select pg_advisory_unlock($1)', [LEADER_LOCK]).catch(() => {});
      await this.session.release();
      this.session = undefined;
    }
    this.leader = false;
  }

  private async tryLead(): Promise<void> {
    this.session ??= await this.options.database.rawSession();
    const [row] = await this.session.query<{ locked: boolean }>('select pg_try_advisory_lock($1) as locked', [
      LEADER_LOCK,
    ]);
    this.leader = row?.locked === true;
    if (this.leader) this.options.log.info('ledger integrator is the leader');
  }

  private async load(): Promise<Frontier> {
    const db = this.options.database.owner;
    this.key ??= await this.options.node.signingKey(db);
    const hash = this.options.node.crypto.hashSync;
    return db.transaction(async (tx) => {
      const size = await store.logSize(tx);
      const ids = Frontier.nodesFor(size);
      const nodes = await store.findNodes(tx, ids);
      const stack = ids.map((id) => {
        const h = nodes.get(`${id.level}:${id.index}`);
        if (!h) throw new Error(`ledger node ${id.level}:${id.index} missing; run \`zhengtong ledger verify\``);
        return { ...id, hash: new Uint8Array(h) };
      });
      return new Frontier(hash, size, stack);
    });
  }

  /**
   * Integrates one batch of queued entries (used by the loop, and directly by tests and the CLI).
   * Returns how many entries were added.
   */
  async integrate(): Promise<number> {
    this.frontier ??= await this.load();
    const key = this.key;
    if (!key) throw new Error('no signing key');
    const hash = this.options.node.crypto.hashSync;
    const next = this.frontier.clone();
    const added = await this.options.database.owner.transaction(async (tx) => {
      const queued = await store.claimQueued(tx, this.options.batchSize ?? 5000);
      if (queued.length === 0) return 0;
      const entries: Array<Omit<store.EntryRow, 'integrated_at'>> = [];
      const nodes: Array<{ level: number; idx: number; hash: Buffer }> = [];
      for (const q of queued) {
        const lh = leafHash(hash, q.leaf);
        const idx = next.size;
        for (const n of next.append(lh)) nodes.push({ level: n.level, idx: n.index, hash: Buffer.from(n.hash) });
        const { id: _id, ...entry } = q;
        entries.push({ ...entry, idx, leaf_hash: Buffer.from(lh) });
      }
      await store.insertEntries(tx, entries);
      await store.insertNodes(tx, nodes);
      await store.deleteQueued(
        tx,
        queued.map((q) => q.id),
      );
      const root = next.root();
      const note = signNote(key, formatCheckpoint({ origin: key.name, size: next.size, rootHash: root }));
      await store.insertCheckpoint(tx, { size: next.size, root_hash: Buffer.from(root), note });
      return queued.length;
    });
    if (added > 0) this.frontier = next;
    return added;
  }

  /**
   * For one-shot commands: if no running server leads, take the lead, integrate everything queued and let go.
   * Returns the number integrated, or undefined when another instance is the leader (it will integrate).
   */
  async integrateOnceIfFree(): Promise<number | undefined> {
    await this.tryLead();
    if (!this.leader) {
      await this.stop();
      return undefined;
    }
    try {
      return await this.drain();
    } finally {
      await this.stop();
    }
  }

  /** Integrates until the queue is empty (tests, CLI). */
  async drain(): Promise<number> {
    let total = 0;
    for (let n = await this.integrate(); n > 0; n = await this.integrate()) total += n;
    return total;
  }
}
