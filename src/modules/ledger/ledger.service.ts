// ledger use cases: open (or create) the node's log, append entries inside business transactions, prove inclusion
// and consistency from stored subtrees, hand receipts to entitled readers.
import { randomBytes } from 'node:crypto';
import type { SecretBox } from '../../platform/crypto.ts';
import type { Db, Tx } from '../../platform/db.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import * as store from './ledger.store.ts';
import { consistencyRanges, decompose, foldRange, inclusionRanges, type LeafRange, nodeKey } from './merkle.ts';
import { generateLogKey, type LogKey, type ProfileCrypto, profileCrypto, signNote, verifierKey } from './profile.ts';
import { formatCheckpoint, formatLeaf, type Profile, type Receipt, toBase64 } from './verify.ts';

export type LedgerZone = 'public' | 'internal' | 'exchange' | 'system';

/** One action to record. `payload` is private (only `readers` and auditors see it); the log holds its salted digest. */
export interface LedgerEntry {
  /** e.g. `org.department.created` */
  readonly type: string;
  /** who acted: `staff:12`, `account:7`, `client:zt-…`, `system` */
  readonly actor: string;
  /** what it is about: `department:3`, `application:TJ…` */
  readonly subject: string;
  readonly payload: unknown;
  /** principals entitled to the receipt besides auditors: `account:7`, `staff:12` */
  readonly readers?: readonly string[];
}

/** The ledger as a zone's services see it: `append(tx, entry)` inside the same transaction as the change. */
export interface ZoneLedger {
  append(tx: Tx, entry: LedgerEntry): Promise<{ receiptId: string }>;
  /**
   * The same entry, not yet written: its receipt and its queue row, for a hot path that writes the row in one
   * statement with its own (see `ledgerQueueInsert`). Written in the caller's transaction or statement, it is as
   * atomic as `append`.
   */
  prepare(entry: LedgerEntry): PreparedEntry;
}

export interface LedgerNode {
  readonly origin: string;
  readonly profile: Profile;
  readonly crypto: ProfileCrypto;
  readonly publicKey: Uint8Array;
  readonly verifierKey: string;
  forZone(zone: LedgerZone): ZoneLedger;
  /** The log's signing key, unsealed; only the integrator and log creation use it. */
  signingKey(db: Db): Promise<LogKey>;
}

/**
 * Opens the node's log, creating it (key pair, empty signed checkpoint) on first use. The profile and origin are
 * fixed at creation; a differing configuration is reported, not applied.
 */
export async function openLedger(
  db: Db,
  options: {
    origin: string;
    profile: Profile;
    secrets: SecretBox;
    warn?: (message: string) => void;
    /** The platform's clock: an entry's time (default: the system clock). */
    clock?: () => Date;
  },
): Promise<LedgerNode> {
  const clock = options.clock ?? (() => new Date());
  let log = await db.transaction((tx) => store.findLog(tx));
  if (!log) {
    const key = generateLogKey(options.origin, options.profile);
    const crypto = profileCrypto(options.profile);
    await db.transaction(async (tx) => {
      const created = await store.insertLog(tx, {
        origin: options.origin,
        profile: options.profile,
        public_key: Buffer.from(key.publicKey),
        private_key_sealed: options.secrets.seal(key.privateKey),
      });
      if (created) {
        const root = crypto.hashSync(new Uint8Array(0));
        const note = signNote(key, formatCheckpoint({ origin: key.name, size: 0, rootHash: root }));
        await store.insertCheckpoint(tx, { size: 0, root_hash: Buffer.from(root), note });
      }
    });
    log = await db.transaction((tx) => store.findLog(tx));
    if (!log) throw new Error('ledger log could not be created');
  }
  if (log.profile !== options.profile || log.origin !== options.origin) {
    options.warn?.(
      `the ledger was created with profile ${log.profile} and origin ${log.origin}; these are fixed, so the configured ${options.profile} / ${options.origin} is ignored`,
    );
  }
  const crypto = profileCrypto(log.profile);
  const origin = log.origin;
  const publicKey = new Uint8Array(log.public_key);
  const keyInfo = { name: origin, profile: log.profile, publicKey };
  return {
    origin,
    profile: log.profile,
    crypto,
    publicKey,
    verifierKey: verifierKey(keyInfo),
    forZone: (zone) => ({
      append: (tx, entry) => appendEntry(crypto, zone, tx, entry, clock()),
      prepare: (entry) => prepareEntry(crypto, zone, entry, clock()),
    }),
    async signingKey(ownerDb) {
      const row = await ownerDb.transaction((tx) => store.findLogPrivateKey(tx));
      if (!row) throw new Error('ledger log missing');
      return { ...keyInfo, privateKey: options.secrets.open(row.private_key_sealed) };
    },
  };
}

/** An entry ready for the queue: its receipt and the queue row (for callers that write it in a statement of theirs). */
export interface PreparedEntry {
  readonly receiptId: string;
  readonly row: store.QueueRow;
}

async function appendEntry(
  crypto: ProfileCrypto,
  zone: LedgerZone,
  tx: Tx,
  entry: LedgerEntry,
  now: Date,
): Promise<{ receiptId: string }> {
  const { receiptId, row } = prepareEntry(crypto, zone, entry, now);
  await store.enqueue(tx, row);
  return { receiptId };
}

function prepareEntry(crypto: ProfileCrypto, zone: LedgerZone, entry: LedgerEntry, now: Date): PreparedEntry {
  const payload = JSON.stringify(entry.payload ?? null);
  const salt = randomBytes(16);
  const digest = toBase64(crypto.hashSync(Buffer.concat([salt, Buffer.from(payload, 'utf8')])));
  const time = now.toISOString();
  const receiptId = randomBytes(12).toString('base64url');
  const leaf = formatLeaf({ type: entry.type, time, zone, actor: entry.actor, subject: entry.subject, digest });
  const row: store.QueueRow = {
    receipt_id: receiptId,
    leaf: Buffer.from(leaf),
    entry_type: entry.type,
    entry_time: time,
    zone,
    actor: entry.actor,
    subject: entry.subject,
    payload,
    salt,
    readers: [...(entry.readers ?? [])],
  };
  return { receiptId, row };
}

// ---- reading the log and proving things about it ----

export interface LedgerReadDeps {
  readonly db: Db;
  readonly node: LedgerNode;
}

const outOfRange = (message: string, field: string) => new AppError('ledger.out_of_range', 400, message, { field });

export async function currentCheckpoint(deps: LedgerReadDeps): Promise<{ size: number; note: string }> {
  const cp = await deps.db.read((tx) => store.latestCheckpoint(tx));
  if (!cp) throw notFound('checkpoint');
  return { size: cp.size, note: cp.note };
}

/**
 * Proof hashes for `ranges` of the tree of `size` leaves, refusing sizes beyond the latest checkpoint. One query
 * fetches the checkpoint size and every stored node the ranges fold from.
 */
async function proveRanges(
  tx: Tx,
  crypto: ProfileCrypto,
  size: number,
  field: string,
  ranges: () => LeafRange[],
): Promise<Buffer[]> {
  const planned = ranges();
  const { latest, nodes } = await store.findNodesAndLatestSize(tx, planned.flatMap(decompose));
  if (size > latest) throw outOfRange(`${field} ${size} is beyond the latest checkpoint (size ${latest})`, `/${field}`);
  return foldWith(crypto, planned, nodes);
}

async function foldRanges(tx: Tx, crypto: ProfileCrypto, ranges: readonly LeafRange[]): Promise<Buffer[]> {
  return foldWith(crypto, ranges, await store.findNodes(tx, ranges.flatMap(decompose)));
}

function foldWith(crypto: ProfileCrypto, ranges: readonly LeafRange[], nodes: Map<string, Buffer>): Buffer[] {
  return ranges.map((r) =>
    Buffer.from(
      foldRange(crypto.hashSync, r, (id) => {
        const h = nodes.get(nodeKey(id));
        if (!h) throw new AppError('ledger.inconsistent', 500, `stored node ${nodeKey(id)} is missing`);
        return h;
      }),
    ),
  );
}

/** RFC 9162 inclusion proof of leaf `index` in the tree of `size` (≤ the latest checkpoint). */
export async function inclusionProof(deps: LedgerReadDeps, index: number, size: number) {
  return deps.db.read(async (tx) => {
    if (index >= size) throw outOfRange(`index ${index} is not below size ${size}`, '/index');
    const hashes = await proveRanges(tx, deps.node.crypto, size, 'size', () => inclusionRanges(index, size));
    return { index, size, hashes: hashes.map((h) => h.toString('base64')) };
  });
}

/** RFC 9162 consistency proof from the tree of `from` leaves to the tree of `to` leaves. */
export async function consistencyProof(deps: LedgerReadDeps, from: number, to: number) {
  return deps.db.read(async (tx) => {
    if (from > to) throw outOfRange(`from ${from} is larger than to ${to}`, '/from');
    const hashes = await proveRanges(tx, deps.node.crypto, to, 'to', () =>
      from === 0 ? [] : consistencyRanges(from, to),
    );
    return { from, to, hashes: hashes.map((h) => h.toString('base64')) };
  });
}

export async function getLeaf(deps: LedgerReadDeps, index: number) {
  const row = await deps.db.read((tx) => store.findEntry(tx, index));
  if (!row) throw new AppError('ledger.out_of_range', 404, `no leaf ${index} in the log yet`, { field: '/index' });
  return { index: row.idx, leafHash: row.leaf_hash.toString('base64'), leaf: row.leaf.toString('base64') };
}

/** Who asks for a receipt: their principal ids, or every receipt (auditors). */
export interface ReceiptReader {
  readonly principals: readonly string[];
  readonly all: boolean;
}

/**
 * The full entry with its salt, its index, the inclusion proof and the checkpoint it is proven against — for an
 * entitled reader only. A receipt not yet integrated answers 409 with a retry hint.
 */
export async function getReceipt(deps: LedgerReadDeps, reader: ReceiptReader, receiptId: string): Promise<Receipt> {
  return deps.db.transaction(async (tx) => {
    const { row, pending } = await store.findReceipt(tx, receiptId, reader);
    if (!row) {
      if (pending) {
        throw new AppError('ledger.pending', 409, 'Recorded, and being added to the log; try again in a second', {
          retryAfterSeconds: 1,
        });
      }
      throw notFound('receipt');
    }
    const checkpoint = await store.latestCheckpoint(tx);
    if (!checkpoint || checkpoint.size <= row.idx) {
      throw new AppError('ledger.pending', 409, 'Not yet covered by a checkpoint; try again in a second', {
        retryAfterSeconds: 1,
      });
    }
    const hashes = await foldRanges(tx, deps.node.crypto, inclusionRanges(row.idx, checkpoint.size));
    return {
      receiptId: row.receipt_id,
      profile: deps.node.profile,
      index: row.idx,
      entry: {
        type: row.entry_type,
        time: row.entry_time,
        zone: row.zone,
        actor: row.actor,
        subject: row.subject,
        payload: row.payload,
        salt: row.salt.toString('base64'),
      },
      leaf: row.leaf.toString('base64'),
      leafHash: row.leaf_hash.toString('base64'),
      inclusion: { size: checkpoint.size, hashes: hashes.map((h) => h.toString('base64')) },
      checkpoint: checkpoint.note,
    };
  });
}

/** The latest receipts a principal is entitled to (newest first). */
export async function listReceipts(deps: LedgerReadDeps, principal: string, limit = 50) {
  const rows = await deps.db.read((tx) => store.findEntriesForReader(tx, principal, limit));
  return rows.map((r) => ({
    receiptId: r.receipt_id,
    index: r.idx,
    type: r.entry_type,
    time: r.entry_time,
    subject: r.subject,
  }));
}

/** The queue and the log as operators watch them (metrics, `zhengtong ledger verify`). */
export function ledgerStatus(db: Db): Promise<{ queued: number; oldest: string | null; size: number }> {
  return db.read((tx) => store.queueStatus(tx));
}

/** The leaf hash at an index of the integrated log, or undefined past its end. */
export function leafHashAt(db: Db, index: number): Promise<Buffer | undefined> {
  return db.read(async (tx) => (await store.findEntry(tx, index))?.leaf_hash);
}
