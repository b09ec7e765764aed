// The index's storage: posting lists in typed arrays (documents in slot order, term frequencies per field, the
// precomputed BM25F impact), growable float arrays per document, and the small heap that keeps the best hits.

/** Fields of a document, in this order: title, keywords, body. */
export const FIELDS = 3;
export const K1 = 1.2;

/** BM25's saturation of a weighted, length-normalised term frequency. */
export const saturate = (t: number) => (t * (K1 + 1)) / (t + K1);

/**
 * One token's documents in slot order, with the term frequency per field and the precomputed impact (the
 * saturated BM25F term weight before idf), so a query adds one number per posting.
 */
export class Posting {
  n = 0;
  docs = new Int32Array(2);
  tf = new Uint8Array(2 * FIELDS);
  impact = new Float32Array(2);
  add(slot: number, tfs: readonly number[], impact: number) {
    if (this.n === this.docs.length) {
      const docs = new Int32Array(this.n * 2);
      docs.set(this.docs);
      this.docs = docs;
      const tf = new Uint8Array(this.n * 2 * FIELDS);
      tf.set(this.tf);
      this.tf = tf;
      const impacts = new Float32Array(this.n * 2);
      impacts.set(this.impact);
      this.impact = impacts;
    }
    this.docs[this.n] = slot;
    for (let f = 0; f < FIELDS; f++) this.tf[this.n * FIELDS + f] = Math.min(255, tfs[f] ?? 0);
    this.impact[this.n] = impact;
    this.n++;
  }
  remove(slot: number) {
    // Slots only grow, so a posting list is sorted: binary search, then close the gap.
    let lo = 0;
    let hi = this.n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = this.docs[mid] as number;
      if (v === slot) {
        this.docs.copyWithin(mid, mid + 1, this.n);
        this.tf.copyWithin(mid * FIELDS, (mid + 1) * FIELDS, this.n * FIELDS);
        this.impact.copyWithin(mid, mid + 1, this.n);
        this.n--;
        return;
      }
      if (v < slot) lo = mid + 1;
      else hi = mid - 1;
    }
  }
  trim() {
    this.docs = this.docs.slice(0, this.n);
    this.tf = this.tf.slice(0, this.n * FIELDS);
    this.impact = this.impact.slice(0, this.n);
  }
}

export class Floats {
  data = new Float32Array(1024);
  ensure(n: number) {
    if (n <= this.data.length) return;
    const next = new Float32Array(Math.max(n, this.data.length * 2));
    next.set(this.data);
    this.data = next;
  }
}

export class MinHeap {
  slots: number[] = [];
  scores: number[] = [];
  readonly capacity: number;
  constructor(capacity: number) {
    this.capacity = capacity;
  }
  push(slot: number, score: number) {
    if (this.slots.length < this.capacity) {
      this.slots.push(slot);
      this.scores.push(score);
      this.up(this.slots.length - 1);
    } else if (score > (this.scores[0] as number)) {
      this.slots[0] = slot;
      this.scores[0] = score;
      this.down(0);
    }
  }
  private swap(i: number, j: number) {
    [this.slots[i], this.slots[j]] = [this.slots[j] as number, this.slots[i] as number];
    [this.scores[i], this.scores[j]] = [this.scores[j] as number, this.scores[i] as number];
  }
  private up(i: number) {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if ((this.scores[p] as number) <= (this.scores[i] as number)) return;
      this.swap(i, p);
      i = p;
    }
  }
  private down(i: number) {
    const n = this.slots.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && (this.scores[l] as number) < (this.scores[m] as number)) m = l;
      if (r < n && (this.scores[r] as number) < (this.scores[m] as number)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
}
