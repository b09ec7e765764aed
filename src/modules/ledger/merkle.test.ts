// The Merkle tree and its proofs: RFC 6962/9162 known answers, properties over random trees, and agreement with two
// independent implementations (@sigstore/verify's inclusion check, @transmute/rfc9162's consistency check).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { RFC9162 } from '@transmute/rfc9162';
import fc from 'fast-check';
import { consistencyRanges, Frontier, foldRange, inclusionRanges, leafHash, type NodeId, nodeKey } from './merkle.ts';
import { profileCrypto } from './profile.ts';
import { verifyConsistency, verifyInclusion } from './verify.ts';

const require = createRequire(import.meta.url);
const { verifyMerkleInclusion } = require('@sigstore/verify/dist/tlog/merkle') as {
  verifyMerkleInclusion: (entry: unknown, checkpoint: unknown) => void;
};

const c = profileCrypto('sha256-ed25519');
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** A tree held in memory the way the store holds it: every complete node by (level, index). */
function buildTree(leaves: Uint8Array[], hash = c.hashSync) {
  const nodes = new Map<string, Uint8Array>();
  const frontier = new Frontier(hash, 0, []);
  const roots: Uint8Array[] = [hash(new Uint8Array())];
  for (const leaf of leaves) {
    for (const n of frontier.append(leafHash(hash, leaf))) nodes.set(nodeKey(n), n.hash);
    roots.push(frontier.root());
  }
  const node = (id: NodeId) => {
    const h = nodes.get(nodeKey(id));
    if (!h) throw new Error(`missing node ${nodeKey(id)}`);
    return h;
  };
  return {
    roots,
    inclusion: (index: number, size: number) => inclusionRanges(index, size).map((r) => foldRange(hash, r, node)),
    consistency: (m: number, n: number) => consistencyRanges(m, n).map((r) => foldRange(hash, r, node)),
  };
}

// The test vectors of Certificate Transparency (RFC 6962 reference implementation, merkle_tree_test).
const CT_LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map((h) => new Uint8Array(Buffer.from(h, 'hex')));
const CT_ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

test('known answers: the Certificate Transparency roots for sizes 0 to 8', () => {
  const tree = buildTree(CT_LEAVES);
  assert.deepEqual(tree.roots.map(hex), CT_ROOTS);
});

test('known answers: inclusion and consistency proofs of the CT vectors verify', async () => {
  const tree = buildTree(CT_LEAVES);
  for (let n = 1; n <= 8; n++) {
    for (let m = 0; m < n; m++) {
      const ok = await verifyInclusion(
        c,
        m,
        n,
        leafHash(c.hashSync, CT_LEAVES[m] as Uint8Array),
        tree.inclusion(m, n),
        tree.roots[n] as Uint8Array,
      );
      assert.ok(ok, `inclusion ${m} in ${n}`);
    }
    for (let m = 1; m <= n; m++) {
      assert.ok(
        await verifyConsistency(
          c,
          m,
          n,
          tree.roots[m] as Uint8Array,
          tree.roots[n] as Uint8Array,
          tree.consistency(m, n),
        ),
        `consistency ${m}→${n}`,
      );
    }
  }
  // RFC 6962 test vector: the proof for leaf 0 of 8 has three hashes.
  assert.deepEqual(tree.inclusion(0, 8).map(hex), [
    '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
    '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
    '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
  ]);
});

function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const copy = new Uint8Array(bytes);
  const i = Math.floor(bit / 8) % copy.length;
  copy[i] = (copy[i] ?? 0) ^ (1 << (bit % 8));
  return copy;
}

const treeAndIndex = fc
  .integer({ min: 1, max: 300 })
  .chain((n) =>
    fc.record({ n: fc.constant(n), m: fc.integer({ min: 0, max: n - 1 }), bit: fc.nat(255), which: fc.nat() }),
  );

test('property: every inclusion proof verifies, and any flipped bit in proof, leaf or root fails', async () => {
  const leaves = Array.from({ length: 300 }, (_, i) => new Uint8Array(Buffer.from(`leaf ${i}`)));
  const tree = buildTree(leaves);
  await fc.assert(
    fc.asyncProperty(treeAndIndex, async ({ n, m, bit, which }) => {
      const proof = tree.inclusion(m, n);
      const leaf = leafHash(c.hashSync, leaves[m] as Uint8Array);
      const root = tree.roots[n] as Uint8Array;
      assert.ok(await verifyInclusion(c, m, n, leaf, proof, root));
      assert.ok(!(await verifyInclusion(c, m, n, flipBit(leaf, bit), proof, root)));
      assert.ok(!(await verifyInclusion(c, m, n, leaf, proof, flipBit(root, bit))));
      if (proof.length > 0) {
        const k = which % proof.length;
        const bad = proof.map((p, i) => (i === k ? flipBit(p, bit) : p));
        assert.ok(!(await verifyInclusion(c, m, n, leaf, bad, root)));
        assert.ok(!(await verifyInclusion(c, m, n, leaf, proof.slice(0, -1), root)), 'a shortened proof fails');
      }
      assert.ok(!(await verifyInclusion(c, n, n, leaf, proof, root)), 'index out of range');
    }),
    { numRuns: 300 },
  );
});

test('property: every consistency proof verifies, and any flipped bit fails', async () => {
  const leaves = Array.from({ length: 300 }, (_, i) => new Uint8Array(Buffer.from(`entry ${i}`)));
  const tree = buildTree(leaves);
  const sizes = fc
    .integer({ min: 1, max: 300 })
    .chain((n) =>
      fc.record({ n: fc.constant(n), m: fc.integer({ min: 1, max: n }), bit: fc.nat(255), which: fc.nat() }),
    );
  await fc.assert(
    fc.asyncProperty(sizes, async ({ n, m, bit, which }) => {
      const proof = tree.consistency(m, n);
      const r1 = tree.roots[m] as Uint8Array;
      const r2 = tree.roots[n] as Uint8Array;
      assert.ok(await verifyConsistency(c, m, n, r1, r2, proof));
      if (m < n) {
        assert.ok(!(await verifyConsistency(c, m, n, flipBit(r1, bit), r2, proof)));
        assert.ok(!(await verifyConsistency(c, m, n, r1, flipBit(r2, bit), proof)));
        const k = which % proof.length;
        assert.ok(
          !(await verifyConsistency(
            c,
            m,
            n,
            r1,
            r2,
            proof.map((p, i) => (i === k ? flipBit(p, bit) : p)),
          )),
        );
        assert.ok(!(await verifyConsistency(c, n, m, r2, r1, proof)), 'sizes swapped');
      }
    }),
    { numRuns: 300 },
  );
});

test('independent: @sigstore/verify accepts our inclusion proofs and rejects tampered ones', () => {
  const leaves = Array.from({ length: 150 }, (_, i) => new Uint8Array(Buffer.from(`rekor ${i}`)));
  const tree = buildTree(leaves);
  fc.assert(
    fc.property(
      treeAndIndex.filter(({ n }) => n <= 150),
      ({ n, m, bit }) => {
        const entry = (hashes: Uint8Array[]) => ({
          canonicalizedBody: Buffer.from(leaves[m] as Uint8Array),
          inclusionProof: { logIndex: String(m), hashes: hashes.map((h) => Buffer.from(h)) },
        });
        const checkpoint = { logSize: BigInt(n), logHash: Buffer.from(tree.roots[n] as Uint8Array) };
        verifyMerkleInclusion(entry(tree.inclusion(m, n)), checkpoint);
        const tampered = { ...checkpoint, logHash: Buffer.from(flipBit(tree.roots[n] as Uint8Array, bit)) };
        assert.throws(() => verifyMerkleInclusion(entry(tree.inclusion(m, n)), tampered));
      },
    ),
    { numRuns: 200 },
  );
});

test('independent: @transmute/rfc9162 agrees on roots and accepts our consistency proofs', async () => {
  const leaves = Array.from({ length: 64 }, (_, i) => new Uint8Array(Buffer.from(`transmute ${i}`)));
  const tree = buildTree(leaves);
  for (const n of [1, 2, 3, 7, 8, 13, 33, 64]) {
    assert.equal(hex(await RFC9162.treeHead(leaves.slice(0, n))), hex(tree.roots[n] as Uint8Array), `root of ${n}`);
  }
  for (const [m, n] of [
    [1, 2],
    [3, 7],
    [4, 13],
    [6, 8],
    [8, 33],
    [13, 64],
    [32, 64],
    [5, 64],
  ] as const) {
    let path = tree.consistency(m, n);
    // Transmute omits RFC 9162's step of prepending the old root when the old size is a power of two (STANDARDS.md).
    if ((m & (m - 1)) === 0) path = [tree.roots[m] as Uint8Array, ...path];
    const proof = { log_id: '', tree_size_1: m, tree_size_2: n, consistency_path: path };
    assert.ok(
      await RFC9162.verifyConsistencyProof(tree.roots[m] as Uint8Array, tree.roots[n] as Uint8Array, proof),
      `${m}→${n}`,
    );
  }
});

test('the SM3 profile builds the same shape of tree with SM3 (GB/T 32905 vector)', () => {
  const sm = profileCrypto('sm3-sm2');
  assert.equal(
    hex(sm.hashSync(new Uint8Array(Buffer.from('abc')))),
    '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0',
  );
  const tree = buildTree(CT_LEAVES, sm.hashSync);
  assert.notEqual(hex(tree.roots[8] as Uint8Array), CT_ROOTS[8]);
  assert.equal(hex(tree.roots[1] as Uint8Array), hex(sm.hashSync(new Uint8Array([0]))));
});
