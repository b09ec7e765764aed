// The search engine: an in-memory inverted index with BM25F ranking over three weighted fields (title ≫ keywords >
// body), coverage of the query's positions, phrase and prefix boosts checked on the title, popularity and region
// proximity; facets (disjunctive: a chosen value does not hide its siblings), highlighting and completions.
// Documents are added, replaced and removed one at a time, so the index follows changes as they commit.

import {
  type Alternative,
  analyzeField,
  matchAt,
  parseQuery,
  queryTokens,
  readText,
  type SynonymTable,
} from './analysis.ts';
import { excerpt, marks, type Reading, render } from './highlight.ts';
import { FIELDS, Floats, MinHeap, Posting, saturate } from './postings.ts';

export const FACETS = ['type', 'subplatform', 'department', 'region', 'level'] as const;
export type FacetName = (typeof FACETS)[number];

export interface SearchDoc {
  /** unique within its type (an item code, a register code, a record id) */
  readonly id: string;
  readonly type: string;
  readonly title: string;
  readonly keywords: readonly string[];
  readonly body: string;
  /** exact terms that find the document but are never shown (identifiers behind a masked snippet) */
  readonly terms?: readonly string[];
  readonly url: string;
  readonly facets: Readonly<Partial<Record<FacetName, string>>>;
  /** GB/T 2260 code of the region the document serves, for proximity to the searcher */
  readonly region?: string;
  /** a prior for the document's kind: services are what people mostly look for on the portal (default 1) */
  readonly boost?: number;
  /** uses in the last 90 days (applications for a service) */
  readonly popularity?: number;
  /** who may see it in a permission-checked index (a department id); undefined: whoever may search the index */
  readonly scope?: number;
}

export interface SearchOptions {
  readonly types?: readonly string[];
  /** facet → accepted values (OR within a facet, AND across facets) */
  readonly filters?: Readonly<Partial<Record<FacetName, readonly string[]>>>;
  readonly page?: number;
  readonly size?: number;
  /** the searcher's region code, for proximity */
  readonly region?: string;
  /** a permission check per document (internal search); documents it refuses are never counted */
  readonly visible?: (doc: SearchDoc) => boolean;
}

export interface Hit {
  readonly doc: SearchDoc;
  readonly score: number;
  /** the title with `<mark>` around what matched (HTML-escaped) */
  readonly highlight: string;
  /** an excerpt of keywords or body with `<mark>` (HTML-escaped) */
  readonly snippet: string;
}

export interface SearchResult {
  readonly total: number;
  readonly hits: readonly Hit[];
  readonly facets: Readonly<Record<FacetName, readonly { value: string; count: number }[]>>;
}

const FIELD_WEIGHTS = [8, 4, 1] as const; // title, keywords, body
const B = 0.75;
const POOL = 100; // candidates re-ranked on their titles
const KEYWORD_BOOST = 1.3; // a group that starts a keyword

const keyOf = (type: string, id: string) => `${type}\u0000${id}`;

/** The three fields' tokens: title and keywords with pinyin and single characters, the body with bigrams only. */
const analyzeDoc = (doc: SearchDoc) => [
  analyzeField(doc.title, { pinyin: true, unigrams: true }),
  analyzeField([...doc.keywords, ...(doc.terms ?? [])].join('，'), { pinyin: true, unigrams: true }),
  analyzeField(doc.body, { pinyin: false, unigrams: false }),
];

/** Region proximity of GB/T 2260 codes: the same region, then the same city, then the same province. */
function proximity(searcher: number, region: number): number {
  if (!region) return 1;
  if (searcher === region) return 1.15;
  if (Math.floor(searcher / 100) === Math.floor(region / 100)) return 1.08;
  if (Math.floor(searcher / 10000) === Math.floor(region / 10000)) return 1.03;
  return 1;
}

/** A document's standing before any query: its kind's prior, raised gently by how much it is used. */
const priorOf = (boost: number | undefined, uses: number | undefined) =>
  (boost ?? 1) * (1 + 0.15 * Math.log10(1 + (uses ?? 0)));

export class SearchIndex {
  private readonly postings = new Map<string, Posting>();
  private readonly docs: (SearchDoc | undefined)[] = [];
  private readonly titles: (Reading | undefined)[] = [];
  private readonly keywordReadings: (Reading[] | undefined)[] = [];
  private readonly slotOf = new Map<string, number>();
  private readonly lengths = Array.from({ length: FIELDS }, () => new Floats());
  private readonly norms = Array.from({ length: FIELDS }, () => new Floats());
  private readonly totals = new Array<number>(FIELDS).fill(0);
  /** per document: its kind's prior × its popularity factor, and its region code (typed arrays: the match loop
   * touches no document object) */
  private readonly prior = new Floats();
  private readonly regionCode = new Floats();
  // Facet values interned per facet (id 0: none), one id per document and facet, so counting is array arithmetic.
  private readonly facetValues = FACETS.map(() => [''] as string[]);
  private readonly facetIndex = FACETS.map(() => new Map<string, number>());
  private readonly facetIds = FACETS.map(() => new Floats());
  // Scratch arrays for one query (the engine is synchronous, so one set serves every query).
  private altScore = new Float32Array(0);
  private altMask = new Uint32Array(0);
  private best = new Float32Array(0);
  private bestAlt = new Int8Array(0);
  private altTouched = new Int32Array(0);
  private touched = new Int32Array(0);
  synonyms: SynonymTable = { groups: [] };

  get size(): number {
    return this.slotOf.size;
  }

  has(type: string, id: string): boolean {
    return this.slotOf.has(keyOf(type, id));
  }

  get(type: string, id: string): SearchDoc | undefined {
    const slot = this.slotOf.get(keyOf(type, id));
    return slot === undefined ? undefined : this.docs[slot];
  }

  /** Adds a document, replacing the one of the same type and id. */
  put(doc: SearchDoc): void {
    this.remove(doc.type, doc.id);
    const slot = this.docs.length;
    const fields = analyzeDoc(doc);
    const tokens = new Map<string, number[]>();
    fields.forEach((field, f) => {
      for (const [token, tf] of field.tokens) {
        let tfs = tokens.get(token);
        if (!tfs) {
          tfs = new Array<number>(FIELDS).fill(0);
          tokens.set(token, tfs);
        }
        tfs[f] = tf;
      }
    });
    for (let f = 0; f < FIELDS; f++) {
      const length = (fields[f] as { length: number }).length;
      this.lengths[f]?.ensure(slot + 1);
      (this.lengths[f] as Floats).data[slot] = length;
      this.totals[f] = (this.totals[f] as number) + length;
    }
    this.slotOf.set(keyOf(doc.type, doc.id), slot);
    this.normalize(slot);
    for (const [token, tfs] of tokens) {
      let posting = this.postings.get(token);
      if (!posting) {
        posting = new Posting();
        this.postings.set(token, posting);
      }
      posting.add(slot, tfs, this.impactOf(slot, tfs, 0));
    }
    this.docs.push(doc);
    this.titles.push(readText(doc.title));
    this.keywordReadings.push(doc.keywords.map(readText));
    this.prior.ensure(slot + 1);
    this.prior.data[slot] = priorOf(doc.boost, doc.popularity);
    this.regionCode.ensure(slot + 1);
    this.regionCode.data[slot] = doc.region && /^[0-9]{6}$/.test(doc.region) ? Number(doc.region) : 0;
    FACETS.forEach((facet, f) => {
      const value = facet === 'type' ? doc.type : doc.facets[facet];
      const ids = this.facetIds[f] as Floats;
      ids.ensure(slot + 1);
      ids.data[slot] = value === undefined ? 0 : this.intern(f, value);
    });
  }

  /** Removes a document; unknown ones are ignored. */
  remove(type: string, id: string): void {
    const key = keyOf(type, id);
    const slot = this.slotOf.get(key);
    if (slot === undefined) return;
    const doc = this.docs[slot] as SearchDoc;
    const tokens = new Set<string>();
    for (const field of analyzeDoc(doc)) for (const token of field.tokens.keys()) tokens.add(token);
    for (const token of tokens) {
      const posting = this.postings.get(token);
      if (!posting) continue;
      posting.remove(slot);
      if (posting.n === 0) this.postings.delete(token);
    }
    for (let f = 0; f < FIELDS; f++)
      this.totals[f] = (this.totals[f] as number) - ((this.lengths[f] as Floats).data[slot] as number);
    this.docs[slot] = undefined;
    this.titles[slot] = undefined;
    this.keywordReadings[slot] = undefined;
    this.slotOf.delete(key);
  }

  /** The ids of every document of a type. */
  idsOf(type: string): string[] {
    return this.docs.filter((d): d is SearchDoc => d?.type === type).map((d) => d.id);
  }

  setPopularity(type: string, id: string, uses: number): void {
    const slot = this.slotOf.get(keyOf(type, id));
    if (slot !== undefined) this.prior.data[slot] = priorOf((this.docs[slot] as SearchDoc).boost, uses);
  }

  /** After a bulk load: exact-size posting lists, and norms and impacts against the final average lengths. */
  compact(): void {
    for (let slot = 0; slot < this.docs.length; slot++) if (this.docs[slot]) this.normalize(slot);
    for (const posting of this.postings.values()) {
      posting.trim();
      for (let i = 0; i < posting.n; i++) posting.impact[i] = this.impactOf(posting.docs[i] as number, posting.tf, i);
    }
  }

  /** The saturated weighted frequency of a token in a document: `tfs` holds FIELDS counts from index `at`. */
  private impactOf(slot: number, tfs: ArrayLike<number>, at: number): number {
    let t = 0;
    for (let f = 0; f < FIELDS; f++)
      t += ((tfs[at * FIELDS + f] as number) || 0) * ((this.norms[f] as Floats).data[slot] as number);
    return saturate(t);
  }

  private intern(f: number, value: string): number {
    const index = this.facetIndex[f] as Map<string, number>;
    let id = index.get(value);
    if (id === undefined) {
      id = (this.facetValues[f] as string[]).push(value) - 1;
      index.set(value, id);
    }
    return id;
  }

  private normalize(slot: number) {
    const live = Math.max(1, this.slotOf.size);
    for (let f = 0; f < FIELDS; f++) {
      const avg = Math.max(1, (this.totals[f] as number) / live);
      const norm = this.norms[f] as Floats;
      norm.ensure(slot + 1);
      const length = (this.lengths[f] as Floats).data[slot] as number;
      norm.data[slot] = (FIELD_WEIGHTS[f] as number) / (1 - B + (B * length) / avg);
    }
  }

  private scratch() {
    const n = this.docs.length;
    if (this.altScore.length < n) {
      const size = Math.max(n, this.altScore.length * 2, 1024);
      this.altScore = new Float32Array(size);
      this.altMask = new Uint32Array(size);
      this.best = new Float32Array(size);
      this.bestAlt = new Int8Array(size);
      this.altTouched = new Int32Array(size);
      this.touched = new Int32Array(size);
    }
  }

  /** The documents matching `query`, best first, with facet counts over every match. */
  search(query: string, options: SearchOptions = {}): SearchResult & { alternatives: Alternative[] } {
    return this.run(query, options, false);
  }

  /** Completions as the query is typed: titles and keywords only, every typed position matched. */
  suggest(query: string, options: SearchOptions = {}): Hit[] {
    return [...this.run(query, { ...options, size: options.size ?? 8, page: 1 }, true).hits];
  }

  private run(query: string, options: SearchOptions, suggest: boolean) {
    const alternatives = parseQuery(query, this.synonyms, (t) => this.postings.get(t)?.n ?? 0);
    const emptyFacets = Object.fromEntries(FACETS.map((f) => [f, []])) as unknown as SearchResult['facets'];
    if (alternatives.length === 0) return { total: 0, hits: [], facets: emptyFacets, alternatives };
    this.scratch();
    const live = this.slotOf.size;
    const { altScore, altMask, best, bestAlt } = this;
    // The loops below run once per posting: the hottest code in search (typed arrays, no allocation).
    const titleNorm = (this.norms[0] as Floats).data;
    const keywordNorm = (this.norms[1] as Floats).data;
    const { altTouched, touched } = this;
    let touchedCount = 0;
    alternatives.forEach((alt, a) => {
      const { tokens, slots } = queryTokens(alt);
      if (slots === 0 || slots > 31) return;
      let touchedInAlt = 0;
      for (const { token, weight, slot: position } of tokens) {
        const posting = this.postings.get(token);
        if (!posting) continue;
        const df = posting.n;
        const idf = Math.log(1 + (live - df + 0.5) / (df + 0.5));
        const w = weight * idf;
        const bit = 1 << position;
        const { docs, tf, impact, n } = posting;
        if (!suggest) {
          // Every field: the precomputed impact.
          for (let i = 0; i < n; i++) {
            const slot = docs[i] as number;
            if (altMask[slot] === 0) altTouched[touchedInAlt++] = slot;
            altScore[slot] = (altScore[slot] as number) + w * (impact[i] as number);
            altMask[slot] = (altMask[slot] as number) | bit;
          }
          continue;
        }
        // Completions: titles and keywords only.
        for (let i = 0, j = 0; i < n; i++, j += FIELDS) {
          const slot = docs[i] as number;
          const t =
            (tf[j] as number) * (titleNorm[slot] as number) + (tf[j + 1] as number) * (keywordNorm[slot] as number);
          if (t === 0) continue;
          if (altMask[slot] === 0) altTouched[touchedInAlt++] = slot;
          altScore[slot] = (altScore[slot] as number) + w * saturate(t);
          altMask[slot] = (altMask[slot] as number) | bit;
        }
      }
      const letters = alt.groups.some((g) => g.some((u) => u.prefix !== undefined));
      const minCoverage = suggest || letters ? 1 : slots <= 2 ? 0.5 : 0.6;
      for (let k = 0; k < touchedInAlt; k++) {
        const slot = altTouched[k] as number;
        let bits = altMask[slot] as number;
        let matched = 0;
        while (bits) {
          bits &= bits - 1;
          matched++;
        }
        const coverage = matched / slots;
        if (coverage >= minCoverage) {
          const score = (altScore[slot] as number) * alt.weight * coverage * coverage;
          if (best[slot] === 0) touched[touchedCount++] = slot;
          if (score > (best[slot] as number)) {
            best[slot] = score;
            bestAlt[slot] = a;
          }
        }
        altScore[slot] = 0;
        altMask[slot] = 0;
      }
    });

    // Filters, permissions and facets over every match; the best POOL go on to be re-ranked.
    const size = Math.min(50, Math.max(1, options.size ?? 10));
    const page = Math.max(1, options.page ?? 1);
    const heap = new MinHeap(Math.max(POOL, page * size + size));
    const counts = FACETS.map((_, f) => new Uint32Array((this.facetValues[f] as string[]).length));
    const facetIds = this.facetIds.map((ids) => ids.data);
    // Each filter as the set of accepted value ids of its facet (a type filter is a filter on the type facet).
    const accepted: (Uint8Array | undefined)[] = FACETS.map((facet, f) => {
      const values =
        facet === 'type' ? [...(options.types ?? []), ...(options.filters?.type ?? [])] : options.filters?.[facet];
      if (!values?.length) return undefined;
      const mask = new Uint8Array((this.facetValues[f] as string[]).length);
      for (const value of values) {
        const id = this.facetIndex[f]?.get(value);
        if (id !== undefined) mask[id] = 1;
      }
      return mask;
    });
    const prior = this.prior.data;
    const regionCode = this.regionCode.data;
    const near = options.region && /^[0-9]{6}$/.test(options.region) ? Number(options.region) : 0;
    let total = 0;
    for (let k = 0; k < touchedCount; k++) {
      const slot = touched[k] as number;
      const score = best[slot] as number;
      best[slot] = 0;
      if (options.visible && !options.visible(this.docs[slot] as SearchDoc)) continue;
      // Disjunctive facets: a document failing only facet f's filter still counts toward f's values.
      let failed = -1;
      let failures = 0;
      for (let f = 0; f < accepted.length; f++) {
        const mask = accepted[f];
        if (mask && !mask[(facetIds[f] as Float32Array)[slot] as number]) {
          failed = f;
          failures++;
        }
      }
      if (failures > 1) continue;
      for (let f = 0; f < counts.length; f++) {
        if (failures === 1 && f !== failed) continue;
        const id = (facetIds[f] as Float32Array)[slot] as number;
        if (id) (counts[f] as Uint32Array)[id] = ((counts[f] as Uint32Array)[id] as number) + 1;
      }
      if (failures) continue;
      total++;
      heap.push(slot, score * (prior[slot] as number) * (near ? proximity(near, regionCode[slot] as number) : 1));
    }

    // Re-rank the pool on the titles and keywords: whole groups in order, at the start, or the whole title.
    const pool = heap.slots.map((slot, i) => {
      const alt = alternatives[bestAlt[slot] as number] as Alternative;
      return { slot, alt, score: (heap.scores[i] as number) * this.phraseBoost(slot, alt) };
    });
    // Ties go to the shorter title (the general item before its variants), then to the older document.
    const titleLength = (slot: number) => (this.titles[slot] as Reading).chars.length;
    pool.sort((a, b) => b.score - a.score || titleLength(a.slot) - titleLength(b.slot) || a.slot - b.slot);
    const hits = pool.slice((page - 1) * size, page * size).map(({ slot, alt, score }): Hit => {
      const doc = this.docs[slot] as SearchDoc;
      const title = this.titles[slot] as Reading;
      const fromKeywords = excerpt(doc.keywords.join('，'), alt.groups);
      const fromBody = suggest ? { html: '', hits: 0 } : excerpt(doc.body, alt.groups, 80);
      const snippet =
        fromBody.hits > 0 || fromKeywords.hits === 0
          ? fromBody.html || fromKeywords.html
          : fromKeywords.html + (fromBody.html ? ` · ${fromBody.html}` : '');
      return { doc, score, highlight: render(title, marks(title, alt.groups)), snippet };
    });
    const facets = Object.fromEntries(
      FACETS.map((facet, f) => [
        facet,
        [...(counts[f] as Uint32Array)]
          .map((count, id) => ({ value: (this.facetValues[f] as string[])[id] as string, count }))
          .filter((v, id) => id > 0 && v.count > 0)
          .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))
          .slice(0, 20),
      ]),
    ) as unknown as SearchResult['facets'];
    return { total, hits, facets, alternatives };
  }

  private phraseBoost(slot: number, alt: Alternative): number {
    const title = this.titles[slot] as Reading;
    const keywords = this.keywordReadings[slot] as Reading[];
    let boost = 1;
    let contiguous = false;
    const hasLetters = alt.groups.some((g) => g.some((u) => u.prefix !== undefined));
    for (const group of alt.groups) {
      if (group.length < 2) continue;
      let inTitle = -1;
      for (let at = 0; at + group.length <= title.chars.length && inTitle < 0; at++)
        if (matchAt(group, title.chars, title.syl, at)) inTitle = at;
      if (inTitle >= 0) {
        contiguous = true;
        boost *= 1.5;
        if (inTitle === 0) boost *= 1.3;
        if (alt.groups.length === 1 && group.length === title.chars.length) boost *= 1.5;
        continue;
      }
      if (keywords.some((k) => k.chars.length === group.length && matchAt(group, k.chars, k.syl, 0))) {
        contiguous = true;
        boost *= KEYWORD_BOOST * 1.25; // exactly a keyword: what people call the item
      } else if (keywords.some((k) => k.chars.length > group.length && matchAt(group, k.chars, k.syl, 0))) {
        contiguous = true;
        boost *= KEYWORD_BOOST;
      } else if (
        keywords.some((k) => {
          for (let at = 1; at + group.length <= k.chars.length; at++)
            if (matchAt(group, k.chars, k.syl, at)) return true;
          return false;
        })
      ) {
        contiguous = true;
        boost *= 1.15;
      }
    }
    // Initials that match only scattered pairs are rarely what was meant.
    if (hasLetters && !contiguous) boost *= 0.4;
    return boost;
  }
}
