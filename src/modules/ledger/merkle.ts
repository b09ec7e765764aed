// Server-side Merkle tree math (RFC 9162 §2.1): which stored subtree hashes a proof needs, and the append frontier.
// A stored node (level, index) is the hash of the complete subtree of 2^level leaves starting at index·2^level,
// so any hash a proof needs is a fold of O(log n) stored nodes: nothing is recomputed from the leaves.

export type SyncHash = (data: Uint8Array) => Uint8Array;

export interface NodeId {
  readonly level: number;
  readonly index: number;
}

/** A contiguous run of leaves [start, start+size) whose Merkle hash a proof element is. */
export interface LeafRange {
  readonly start: number;
  readonly size: number;
}

export function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function isPowerOfTwo(n: number): boolean {
  let k = 1;
  while (k < n) k *= 2;
  return k === n;
}

/** RFC 9162 PATH(m, D[n]) as ranges, leaf first. */
export function inclusionRanges(index: number, size: number, start = 0): LeafRange[] {
  if (size <= 1) return [];
  const k = largestPowerOfTwoBelow(size);
  return index < k
    ? [...inclusionRanges(index, k, start), { start: start + k, size: size - k }]
    : [...inclusionRanges(index - k, size - k, start + k), { start, size: k }];
}

/** RFC 9162 SUBPROOF(m, D[n], b) as ranges. */
export function consistencyRanges(m: number, n: number, complete = true, start = 0): LeafRange[] {
  if (m === n) return complete ? [] : [{ start, size: n }];
  const k = largestPowerOfTwoBelow(n);
  return m <= k
    ? [...consistencyRanges(m, k, complete, start), { start: start + k, size: n - k }]
    : [...consistencyRanges(m - k, n - k, false, start + k), { start, size: k }];
}

/** The complete aligned subtrees whose fold is MTH of the range (left to right, largest first). */
export function decompose(range: LeafRange): NodeId[] {
  const out: NodeId[] = [];
  let { start, size } = range;
  while (size > 0) {
    const k = isPowerOfTwo(size) ? size : largestPowerOfTwoBelow(size);
    if (start % k !== 0) throw new Error(`range [${start}, +${size}) is not aligned`);
    out.push({ level: Math.round(Math.log2(k)), index: start / k });
    start += k;
    size -= k;
  }
  return out;
}

export const nodeKey = (n: NodeId) => `${n.level}:${n.index}`;

/** MTH of a range from the stored hashes of its decomposition. */
export function foldRange(hash: SyncHash, range: LeafRange, node: (id: NodeId) => Uint8Array): Uint8Array {
  const parts = decompose(range).map(node);
  let acc = parts.pop();
  if (!acc) throw new Error('empty range');
  while (parts.length > 0) acc = nodeHash(hash, parts.pop() as Uint8Array, acc);
  return acc;
}

const LEAF = new Uint8Array([0]);
const NODE = new Uint8Array([1]);

export function leafHash(hash: SyncHash, leaf: Uint8Array): Uint8Array {
  const buf = new Uint8Array(leaf.length + 1);
  buf.set(LEAF);
  buf.set(leaf, 1);
  return hash(buf);
}

export function nodeHash(hash: SyncHash, left: Uint8Array, right: Uint8Array): Uint8Array {
  const buf = new Uint8Array(left.length + right.length + 1);
  buf.set(NODE);
  buf.set(left, 1);
  buf.set(right, 1 + left.length);
  return hash(buf);
}

/**
 * The right edge of the tree: the roots of the complete subtrees that make up the current size (largest first).
 * Appending a leaf pushes it and merges equal-level neighbours; every merge is a new stored node.
 */
export class Frontier {
  private readonly hash: SyncHash;
  private readonly stack: Array<NodeId & { hash: Uint8Array }>;
  size: number;

  constructor(hash: SyncHash, size: number, stack: Array<NodeId & { hash: Uint8Array }>) {
    this.hash = hash;
    this.size = size;
    this.stack = stack;
  }

  /** The nodes to load to resume appending at `size`. */
  static nodesFor(size: number): NodeId[] {
    return size === 0 ? [] : decompose({ start: 0, size });
  }

  /** Appends one leaf hash; returns every node that became complete (the leaf itself first). */
  append(leafHashValue: Uint8Array): Array<NodeId & { hash: Uint8Array }> {
    const created: Array<NodeId & { hash: Uint8Array }> = [];
    let node = { level: 0, index: this.size, hash: leafHashValue };
    created.push(node);
    let top = this.stack.at(-1);
    while (top && top.level === node.level) {
      this.stack.pop();
      node = { level: node.level + 1, index: top.index / 2, hash: nodeHash(this.hash, top.hash, node.hash) };
      created.push(node);
      top = this.stack.at(-1);
    }
    this.stack.push(node);
    this.size += 1;
    return created;
  }

  root(): Uint8Array {
    let acc: Uint8Array | undefined;
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const h = this.stack[i]?.hash as Uint8Array;
      acc = acc ? nodeHash(this.hash, h, acc) : h;
    }
    return acc ?? this.hash(new Uint8Array(0));
  }

  clone(): Frontier {
    return new Frontier(this.hash, this.size, [...this.stack]);
  }
}
