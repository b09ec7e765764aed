// Verification of the ledger's evidence, with no Node.js imports: the same code runs on the server, in the CLI and
// in the browser's "verify a receipt" page. Hashing and signature checks come in through `LedgerCrypto`, so the
// browser can use WebCrypto. Tree algorithms follow RFC 9162 §2.1.3.2 and §2.1.4.2 exactly; arithmetic uses
// division rather than bit shifts so that sizes beyond 2^31 stay correct.

export type Profile = 'sha256-ed25519' | 'sm3-sm2';

export interface LedgerCrypto {
  hash(data: Uint8Array): Promise<Uint8Array>;
  /** Verifies a note signature made by the log key (Ed25519 or SM2 over the note text). */
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Promise<boolean>;
}

const encoder = new TextEncoder();

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

export function fromBase64(text: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) throw new Error('not standard base64');
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

const LEAF_PREFIX = new Uint8Array([0]);
const NODE_PREFIX = new Uint8Array([1]);

export const leafHashOf = (c: LedgerCrypto, leaf: Uint8Array) => c.hash(concat(LEAF_PREFIX, leaf));
export const nodeHashOf = (c: LedgerCrypto, left: Uint8Array, right: Uint8Array) =>
  c.hash(concat(NODE_PREFIX, left, right));

const isOdd = (n: number) => n % 2 === 1;
const half = (n: number) => Math.floor(n / 2);

/** RFC 9162 §2.1.3.2: does `proof` show that `leafHash` is at `index` in the tree of `size` with `root`? */
export async function verifyInclusion(
  c: LedgerCrypto,
  index: number,
  size: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): Promise<boolean> {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      r = await nodeHashOf(c, p, r);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = await nodeHashOf(c, r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && equalBytes(r, root);
}

const isPowerOfTwo = (n: number) => n > 0 && 2 ** Math.round(Math.log2(n)) === n;

/** RFC 9162 §2.1.4.2: is the tree of `size2` with `root2` an append-only extension of `size1` with `root1`? */
export async function verifyConsistency(
  c: LedgerCrypto,
  size1: number,
  size2: number,
  root1: Uint8Array,
  root2: Uint8Array,
  proof: readonly Uint8Array[],
): Promise<boolean> {
  if (!Number.isSafeInteger(size1) || !Number.isSafeInteger(size2) || size1 < 0 || size1 > size2) return false;
  if (size1 === size2) return proof.length === 0 && equalBytes(root1, root2);
  if (size1 === 0) return proof.length === 0; // the empty tree is a prefix of every tree
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : [...proof];
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  const [first, ...rest] = path;
  if (!first) return false;
  let fr = first;
  let sr = first;
  for (const p of rest) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = await nodeHashOf(c, p, fr);
      sr = await nodeHashOf(c, p, sr);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = await nodeHashOf(c, sr, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && equalBytes(fr, root1) && equalBytes(sr, root2);
}

// ---- checkpoints and signed notes (C2SP tlog-checkpoint, signed-note) ----

export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: Uint8Array;
}

export function formatCheckpoint(cp: Checkpoint): string {
  return `${cp.origin}\n${cp.size}\n${toBase64(cp.rootHash)}\n`;
}

export function parseCheckpoint(text: string): Checkpoint {
  const lines = text.split('\n');
  const [origin, size, root] = lines;
  if (!origin || !size || root === undefined || lines.at(-1) !== '')
    throw new Error('a checkpoint has origin, size and root lines');
  if (!/^(0|[1-9][0-9]*)$/.test(size) || !Number.isSafeInteger(Number(size))) throw new Error('bad tree size');
  return { origin, size: Number(size), rootHash: fromBase64(root) };
}

export interface NoteSignature {
  readonly name: string;
  readonly keyId: number;
  readonly signature: Uint8Array;
}

export function parseNote(note: string): { text: string; signatures: NoteSignature[] } {
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) throw new Error('not a signed note');
  const text = note.slice(0, split + 1);
  const signatures = note
    .slice(split + 2, -1)
    .split('\n')
    .map((line) => {
      const match = /^\u2014 (\S+) ([A-Za-z0-9+/]+=*)$/.exec(line);
      if (!match?.[1] || !match[2]) throw new Error('bad signature line');
      const raw = fromBase64(match[2]);
      if (raw.length < 5) throw new Error('signature too short');
      const keyId = new DataView(raw.buffer, raw.byteOffset, 4).getUint32(0);
      return { name: match[1], keyId, signature: raw.slice(4) };
    });
  return { text, signatures };
}

/** A verifier key in signed-note form: `<name>+<hex key id>+<base64(type ‖ public key)>`. */
export interface VerifierKey {
  readonly name: string;
  readonly keyId: number;
  readonly type: Uint8Array;
  readonly publicKey: Uint8Array;
}

/** Signature type bytes: 0x01 is Ed25519 (signed-note); SM2 uses the 0xff escape with a long identifier. */
export const SIGNATURE_TYPES: Readonly<Record<Profile, Uint8Array>> = {
  'sha256-ed25519': new Uint8Array([0x01]),
  'sm3-sm2': concat(new Uint8Array([0xff]), utf8('zhengtong/sm2-sm3/v1'), new Uint8Array([0x00])),
};

export function parseVerifierKey(text: string): VerifierKey & { profile: Profile } {
  const match = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/]+=*)$/.exec(text.trim());
  if (!match?.[1] || !match[2] || !match[3]) throw new Error('not a verifier key');
  const raw = fromBase64(match[3]);
  for (const [profile, type] of Object.entries(SIGNATURE_TYPES) as [Profile, Uint8Array][]) {
    if (raw.length > type.length && equalBytes(raw.slice(0, type.length), type)) {
      return { name: match[1], keyId: Number.parseInt(match[2], 16), type, publicKey: raw.slice(type.length), profile };
    }
  }
  throw new Error('unknown signature type in verifier key');
}

/** Verifies a signed checkpoint with a trusted key; returns it parsed, or throws saying why not. */
export async function verifyCheckpoint(c: LedgerCrypto, note: string, key: VerifierKey): Promise<Checkpoint> {
  const { text, signatures } = parseNote(note);
  const mine = signatures.filter((s) => s.name === key.name && s.keyId === key.keyId);
  if (mine.length === 0) throw new Error('the checkpoint carries no signature by this key');
  for (const s of mine) {
    if (!(await c.verify(key.publicKey, utf8(text), s.signature)))
      throw new Error('the checkpoint signature does not verify');
  }
  const checkpoint = parseCheckpoint(text);
  if (checkpoint.origin !== key.name) throw new Error('the checkpoint origin is not the key name');
  return checkpoint;
}

// ---- leaves and receipts ----

/** What the public log commits to for one action: no names, ID numbers or record contents. */
export interface LeafFields {
  readonly type: string;
  readonly time: string;
  readonly zone: string;
  readonly actor: string;
  readonly subject: string;
  /** base64 of H(salt ‖ UTF-8 payload) */
  readonly digest: string;
}

export const LEAF_HEADER = 'zhengtong/ledger/leaf/v1';
const FIELD = /^[\x21-\x7e]{1,200}$/;

/** The exact bytes that are hashed into the tree. */
export function formatLeaf(f: LeafFields): Uint8Array {
  for (const [name, value] of Object.entries(f)) {
    if (!FIELD.test(value))
      throw new Error(`leaf field ${name} must be 1-200 printable ASCII characters without spaces`);
  }
  return utf8(
    `${LEAF_HEADER}\ntype ${f.type}\ntime ${f.time}\nzone ${f.zone}\nactor ${f.actor}\nsubject ${f.subject}\ndigest ${f.digest}\n`,
  );
}

export async function payloadDigest(c: LedgerCrypto, salt: Uint8Array, payload: string): Promise<string> {
  return toBase64(await c.hash(concat(salt, utf8(payload))));
}

/** What an entitled party receives: the full entry, its place in the log, and the evidence. */
export interface Receipt {
  readonly receiptId: string;
  readonly profile: Profile;
  readonly index: number;
  readonly entry: Omit<LeafFields, 'digest'> & { readonly payload: string; readonly salt: string };
  readonly leaf: string;
  readonly leafHash: string;
  readonly inclusion: { readonly size: number; readonly hashes: readonly string[] };
  readonly checkpoint: string;
}

export interface ReceiptCheck {
  readonly step: 'digest' | 'leaf' | 'checkpoint' | 'inclusion';
  readonly ok: boolean;
  readonly detail: string;
}

/**
 * Checks a receipt end to end with a trusted verifier key: the payload's digest, the leaf bytes, the checkpoint's
 * signature, and the inclusion proof against the checkpoint's root. Never throws: each step says what it found.
 */
export async function verifyReceipt(c: LedgerCrypto, receipt: Receipt, key: VerifierKey): Promise<ReceiptCheck[]> {
  const checks: ReceiptCheck[] = [];
  try {
    const { entry } = receipt;
    const digest = await payloadDigest(c, fromBase64(entry.salt), entry.payload);
    const leaf = formatLeaf({
      type: entry.type,
      time: entry.time,
      zone: entry.zone,
      actor: entry.actor,
      subject: entry.subject,
      digest,
    });
    checks.push({ step: 'digest', ok: true, detail: digest });
    const leafOk = equalBytes(leaf, fromBase64(receipt.leaf));
    checks.push({
      step: 'leaf',
      ok: leafOk,
      detail: leafOk ? 'the entry recomputes to the logged leaf' : 'the entry does not match the logged leaf',
    });
    const leafHash = await leafHashOf(c, leaf);
    let checkpoint: Checkpoint;
    try {
      checkpoint = await verifyCheckpoint(c, receipt.checkpoint, key);
      checks.push({ step: 'checkpoint', ok: true, detail: `signed by ${key.name}, tree size ${checkpoint.size}` });
    } catch (e) {
      checks.push({ step: 'checkpoint', ok: false, detail: (e as Error).message });
      return checks;
    }
    const included =
      checkpoint.size === receipt.inclusion.size &&
      (await verifyInclusion(
        c,
        receipt.index,
        checkpoint.size,
        leafHash,
        receipt.inclusion.hashes.map(fromBase64),
        checkpoint.rootHash,
      ));
    checks.push({
      step: 'inclusion',
      ok: included,
      detail: included
        ? `leaf ${receipt.index} is in the tree of size ${checkpoint.size}`
        : 'the inclusion proof does not lead to the signed root',
    });
  } catch (e) {
    checks.push({ step: 'digest', ok: false, detail: `malformed receipt: ${(e as Error).message}` });
  }
  return checks;
}
