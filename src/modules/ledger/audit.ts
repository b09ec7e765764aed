// The full audit behind `zhengtong ledger verify`: every leaf recomputed from its stored entry (salt + payload →
// digest → leaf bytes → leaf hash), the tree rebuilt and compared with every stored subtree hash, and every stored
// checkpoint's signature and root checked. Stops at the first bad index and names it.
import type { Db } from '../../platform/db.ts';
import type { LedgerNode } from './ledger.service.ts';
import * as store from './ledger.store.ts';
import { Frontier, leafHash, nodeKey } from './merkle.ts';
import { equalBytes, formatLeaf, parseVerifierKey, toBase64, verifyCheckpoint } from './verify.ts';

export interface AuditReport {
  readonly ok: boolean;
  readonly size: number;
  readonly checkpoints: number;
  /** The first index whose stored data does not match the log, when there is one. */
  readonly firstBadIndex?: number;
  readonly problem?: string;
}

const PAGE = 5000;

export async function auditLog(
  db: Db,
  node: LedgerNode,
  onProgress: (done: number) => void = () => {},
): Promise<AuditReport> {
  const { crypto } = node;
  const hash = crypto.hashSync;
  const key = parseVerifierKey(node.verifierKey);
  const frontier = new Frontier(hash, 0, []);
  let checkpoints = 0;
  let pendingCheckpoints: Array<{ size: number; root_hash: Buffer; note: string }> = [];
  let lastCheckpointSize = -1;
  const bad = (index: number, problem: string): AuditReport => ({
    ok: false,
    size: frontier.size,
    checkpoints,
    firstBadIndex: index,
    problem,
  });

  /** Checks every stored checkpoint up to `size` against the rebuilt tree. */
  const checkCheckpointsUpTo = async (size: number): Promise<AuditReport | undefined> => {
    for (;;) {
      if (pendingCheckpoints.length === 0) {
        pendingCheckpoints = await db.transaction((tx) => store.findCheckpoints(tx, lastCheckpointSize, 1000));
        if (pendingCheckpoints.length === 0) return undefined;
      }
      const cp = pendingCheckpoints[0];
      if (!cp || cp.size > size) return undefined;
      pendingCheckpoints = pendingCheckpoints.slice(1);
      lastCheckpointSize = cp.size;
      checkpoints += 1;
      try {
        const parsed = await verifyCheckpoint(crypto, cp.note, key);
        if (parsed.size !== cp.size || !equalBytes(parsed.rootHash, cp.root_hash)) {
          return bad(
            Math.max(0, cp.size - 1),
            `checkpoint ${cp.size}: the signed note does not match its stored size or root`,
          );
        }
      } catch (e) {
        return bad(Math.max(0, cp.size - 1), `checkpoint ${cp.size}: ${(e as Error).message}`);
      }
      if (cp.size === size && !equalBytes(frontier.root(), cp.root_hash)) {
        return bad(Math.max(0, cp.size - 1), `checkpoint ${cp.size}: the entries do not hash to its signed root`);
      }
    }
  };

  const initial = await checkCheckpointsUpTo(0);
  if (initial) return initial;
  for (;;) {
    const rows = await db.transaction((tx) => store.findEntriesFrom(tx, frontier.size, PAGE));
    if (rows.length === 0) break;
    const from = frontier.size;
    const stored = await db.transaction((tx) => store.findNodesOverlapping(tx, from, from + rows.length));
    for (const row of rows) {
      const index = frontier.size;
      if (row.idx !== index) return bad(index, `entry ${index} is missing (the next stored index is ${row.idx})`);
      let leaf: Uint8Array;
      try {
        const digest = toBase64(hash(Buffer.concat([row.salt, Buffer.from(row.payload, 'utf8')])));
        leaf = formatLeaf({
          type: row.entry_type,
          time: row.entry_time,
          zone: row.zone,
          actor: row.actor,
          subject: row.subject,
          digest,
        });
      } catch (e) {
        return bad(index, `entry ${index} cannot form a leaf: ${(e as Error).message}`);
      }
      if (!equalBytes(leaf, row.leaf))
        return bad(index, `entry ${index} was altered: its fields do not recompute to the logged leaf`);
      const lh = leafHash(hash, leaf);
      if (!equalBytes(lh, row.leaf_hash)) return bad(index, `entry ${index}: stored leaf hash is wrong`);
      for (const n of frontier.append(lh)) {
        const s = stored.get(nodeKey(n)) ?? (await db.transaction((tx) => store.findNodes(tx, [n]))).get(nodeKey(n));
        if (!s || !equalBytes(s, n.hash))
          return bad(
            n.index * 2 ** n.level,
            `stored subtree ${nodeKey(n)} does not match entries from ${n.index * 2 ** n.level}`,
          );
      }
      const problem = await checkCheckpointsUpTo(frontier.size);
      if (problem) return problem;
    }
    onProgress(frontier.size);
  }
  const beyond = await db.transaction((tx) => store.findCheckpoints(tx, frontier.size, 1));
  if (beyond[0]) {
    return bad(
      frontier.size,
      `a checkpoint signs size ${beyond[0].size} but the log ends at ${frontier.size}: entries were removed`,
    );
  }
  return { ok: true, size: frontier.size, checkpoints };
}
