import type { DatabaseHandle, RawSession, Tx } from '../../platform/db.ts';
import { LOCKS } from '../../platform/locks.ts';
import type { Logger } from '../../platform/log.ts';
import type { LedgerNode } from './ledger.service.ts';
import * as store from './ledger.store.ts';
import { Frontier, leafHash } from './merkle.ts';
import { type LogKey, signNote } from './profile.ts';
import { formatCheckpoint } from './verify.ts';

const LEADER_LOCK = LOCKS.ledgerLeader;

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
  /** batches of this instance, one after another */
  private exclusive: Promise<unknown> = Promise.resolve();
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
        if (this.leader) await this.checkLead();
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

  /** Stops the loop; a leader first integrates what is still queued (a closing zone's last records). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running.catch(() => {});
    if (this.leader) {
      await this.drain().catch((e) => this.options.log.error({ err: e }, 'ledger integration at stop failed'));
    }
    if (this.session) {
      if (this.leader) await this.session.query('select pg_advisory_unlock($1)', [LEADER_LOCK]).catch(() => {});
      await this.session.release();
      this.session = undefined;
    }
    this.leader = false;
  }

  private async tryLead(): Promise<void> {
    this.session ??= await this.options.database.rawSession();
    let row: { locked: boolean } | undefined;
    try {
      [row] = await this.session.query<{ locked: boolean }>('select pg_try_advisory_lock($1) as locked', [LEADER_LOCK]);
    } catch (e) {
      await this.session.release().catch(() => {});
      this.session = undefined; // a new session next time
      throw e;
    }
    this.leader = row?.locked === true;
    this.frontier = undefined; // whoever led before may have added to the log
    if (this.leader) this.options.log.info('ledger integrator is the leader');
  }

  /** A leader whose lock session died (network, database restart) is no longer the leader: its lock is gone. */
  private async checkLead(): Promise<void> {
    try {
      await this.session?.query('select 1');
    } catch {
      this.options.log.warn('ledger integrator lost its lock session; trying to lead again');
      this.leader = false;
      this.frontier = undefined;
      await this.session?.release().catch(() => {});
      this.session = undefined;
    }
  }

  /** The frontier of the log as stored: its size and the hashes of the subtrees on its right edge. */
  private async frontierIn(tx: Tx, size: number): Promise<Frontier> {
    const ids = Frontier.nodesFor(size);
    const nodes = await store.findNodes(tx, ids);
    const stack = ids.map((id) => {
      const h = nodes.get(`${id.level}:${id.index}`);
      if (!h) throw new Error(`ledger node ${id.level}:${id.index} missing; run \`zhengtong ledger verify\``);
      return { ...id, hash: new Uint8Array(h) };
    });
    return new Frontier(this.options.node.crypto.hashSync, size, stack);
  }

  /**
   * Integrates one batch of queued entries (used by the loop, and directly by tests and the CLI; safe to call while
   * the loop runs). Returns how many entries were added.
   */
  integrate(): Promise<number> {
    const batch = this.exclusive.then(() => this.integrateBatch());
    this.exclusive = batch.catch(() => {});
    return batch;
  }

  private async integrateBatch(): Promise<number> {
    const db = this.options.database.owner;
    this.key ??= await this.options.node.signingKey(db);
    const key = this.key;
    const hash = this.options.node.crypto.hashSync;
    let next: Frontier | undefined;
    const added = await db.transaction(async (tx) => {
      await store.lockBatch(tx);
      // Start from the log as stored: another writer may have added to it since this instance last did.
      const size = await store.logSize(tx);
      if (this.frontier?.size !== size) this.frontier = await this.frontierIn(tx, size);
      next = this.frontier.clone();
      const queued = await store.claimQueued(tx, this.options.batchSize ?? 5000);
      if (queued.length === 0) return 0;
      const entries: Array<Omit<store.EntryRow, 'integrated_at'>> = [];
      const nodes: Array<{ level: number; idx: number; hash: Buffer }> = [];
      const tree = next;
      for (const q of queued) {
        const lh = leafHash(hash, q.leaf);
        const idx = tree.size;
        for (const n of tree.append(lh)) nodes.push({ level: n.level, idx: n.index, hash: Buffer.from(n.hash) });
        const { id: _id, ...entry } = q;
        entries.push({ ...entry, idx, leaf_hash: Buffer.from(lh) });
      }
      await store.insertEntries(tx, entries);
      await store.insertNodes(tx, nodes);
      await store.deleteQueued(
        tx,
        queued.map((q) => q.id),
      );
      const root = tree.root();
      const note = signNote(key, formatCheckpoint({ origin: key.name, size: tree.size, rootHash: root }));
      await store.insertCheckpoint(tx, { size: tree.size, root_hash: Buffer.from(root), note });
      return queued.length;
    });
    if (added > 0 && next) this.frontier = next;
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
