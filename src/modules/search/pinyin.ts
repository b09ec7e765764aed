// Pinyin for search: the syllables (from pinyin-pro's readings of the CJK block), readings of latin input as
// syllables, initials and an unfinished last syllable, and one-edit corrections of typos — pinyin and latin words —
// toward what the index knows. Pure functions; analysis.ts turns their units into index tokens.
import { pinyin } from 'pinyin-pro';

/** Pinyin of each character of a Han run (in context, so 银行 reads yin hang), ü written v as people type it. */
export function syllablesOf(run: string): string[] {
  return pinyin(run, { type: 'array', toneType: 'none', v: true }).map((s) => s.toLowerCase());
}

let syllableSet: Set<string> | undefined;
/** Every pinyin syllable, collected once from the readings of the common CJK block. */
export function syllables(): ReadonlySet<string> {
  if (!syllableSet) {
    let block = '';
    for (let c = 0x4e00; c <= 0x9fa5; c++) block += String.fromCharCode(c);
    // Interjections without a vowel (嗯 n, 呣 m, 哼 hng) would read initials as syllables.
    syllableSet = new Set(syllablesOf(block).filter((s) => /^[a-z]{1,6}$/.test(s) && /[aeiouv]/.test(s)));
    syllablePrefixes = new Set([...syllableSet].flatMap((s) => [...s].map((_, i) => s.slice(0, i + 1))));
  }
  return syllableSet;
}
let syllablePrefixes: Set<string> = new Set();

/** One typed position. A Han character carries its reading; a syllable has no character; a letter is a prefix. */
export interface Unit {
  readonly char?: string;
  readonly syl?: string;
  /** the typed start of a syllable: an initial (s, sh) or an unfinished syllable */
  readonly prefix?: string;
}

export interface Reading {
  readonly units: Unit[];
  readonly letters: number;
}

const INITIALS2 = new Set(['zh', 'ch', 'sh']);

/**
 * The fewest-unit readings of a latin run as pinyin: full syllables where they fit, otherwise letters (initials,
 * or the unfinished last syllable). Returns the best reading and those at most one unit longer, best first.
 */
export function readPinyin(run: string, max = 3): Reading[] {
  const all = syllables();
  const n = run.length;
  // best[i]: the readings of run[i..] with the fewest units (then fewest letters); bounded per position.
  const best: Reading[][] = new Array(n + 1);
  best[n] = [{ units: [], letters: 0 }];
  for (let i = n - 1; i >= 0; i--) {
    const options: Reading[] = [];
    for (let len = Math.min(6, n - i); len >= 1; len--) {
      const piece = run.slice(i, i + len);
      const rest = best[i + len] as Reading[];
      let unit: Unit | undefined;
      let letters = 0;
      if (all.has(piece)) unit = { syl: piece };
      else if (len === 1 || INITIALS2.has(piece) || (i + len === n && syllablePrefixes.has(piece))) {
        unit = { prefix: piece };
        letters = 1;
      }
      if (!unit) continue;
      for (const r of rest) options.push({ units: [unit, ...r.units], letters: r.letters + letters });
    }
    options.sort((a, b) => a.units.length - b.units.length || a.letters - b.letters);
    best[i] = options.slice(0, max);
  }
  const readings = best[0] as Reading[];
  const first = readings[0];
  return first ? readings.filter((r) => r.units.length <= first.units.length + 1).slice(0, max) : [];
}

const looksLikeFullPinyin = (run: string) => /[aeiouv]/.test(run) && run.length >= 4;

/** Single-edit variants of a latin run (deletion, transposition, substitution, insertion). */
function edits(run: string): Set<string> {
  const out = new Set<string>();
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  for (let i = 0; i <= run.length; i++) {
    const a = run.slice(0, i);
    const b = run.slice(i);
    if (b) out.add(a + b.slice(1));
    if (b.length > 1) out.add(a + (b[1] as string) + (b[0] as string) + b.slice(2));
    for (const c of letters) {
      if (b) out.add(a + c + b.slice(1));
      out.add(a + c + b);
    }
  }
  out.delete(run);
  return out;
}

// A trie of the syllables over a–z: reading a run walks it from each position, with no substring made.
let trie: { next: Int32Array; full: Uint8Array } | undefined;
function syllableTrie() {
  if (trie) return trie;
  const list = [...syllables()];
  const next = new Int32Array((list.length * 6 + 1) * 26).fill(-1);
  const full = new Uint8Array(list.length * 6 + 1);
  let nodes = 1;
  for (const syllable of list) {
    let node = 0;
    for (let k = 0; k < syllable.length; k++) {
      const c = syllable.charCodeAt(k) - 97;
      let child = next[node * 26 + c] as number;
      if (child < 0) {
        child = nodes++;
        next[node * 26 + c] = child;
      }
      node = child;
    }
    full[node] = 1;
  }
  trie = { next, full };
  return trie;
}

/**
 * The fewest-unit clean reading of a run: full syllables, only the last unit possibly unfinished; undefined
 * when there is none. Dynamic programming from the end, walking the syllable trie.
 */
function cleanReading(run: string): Unit[] | undefined {
  const { next, full } = syllableTrie();
  const n = run.length;
  const cost = new Int32Array(n + 1).fill(1 << 20);
  const step = new Int32Array(n + 1);
  cost[n] = 0;
  for (let i = n - 1; i >= 0; i--) {
    let node = 0;
    for (let k = i; k < n && k < i + 6; k++) {
      const c = run.charCodeAt(k) - 97;
      if (c < 0 || c > 25) break;
      node = next[node * 26 + c] as number;
      if (node < 0) break;
      // A full syllable continues the reading; an unfinished one may only end it.
      if ((full[node] || k + 1 === n) && (cost[k + 1] as number) + 1 < (cost[i] as number)) {
        cost[i] = (cost[k + 1] as number) + 1;
        step[i] = k + 1 - i;
      }
    }
  }
  if ((cost[0] as number) >= 1 << 20) return undefined;
  const units: Unit[] = [];
  for (let i = 0; i < n; i += step[i] as number) {
    const piece = run.slice(i, i + (step[i] as number));
    units.push(syllables().has(piece) ? { syl: piece } : { prefix: piece });
  }
  return units;
}

/** How far a run reads from its start in full syllables (the first place reading breaks). */
function readableUntil(run: string): number {
  const { next, full } = syllableTrie();
  const n = run.length;
  const ok = new Uint8Array(n + 1);
  ok[0] = 1;
  let furthest = 0;
  for (let i = 0; i < n; i++) {
    if (!ok[i]) continue;
    let node = 0;
    for (let k = i; k < n && k < i + 6; k++) {
      node = next[node * 26 + run.charCodeAt(k) - 97] ?? -1;
      if (node < 0) break;
      if (full[node]) {
        ok[k + 1] = 1;
        furthest = Math.max(furthest, k + 1);
      }
    }
  }
  return furthest;
}

/**
 * A typo'd pinyin run read as its nearest clean spelling (one edit), when the run itself does not read cleanly —
 * or reads, but into syllables that never meet in the index (shenfengzheng, jiehuen). Only edits near the trouble
 * are tried. The candidate with the fewest syllable pairs unknown to the index wins (`known` gives a token's
 * document frequency), then the one with fewest units: "gongjijn" becomes gong ji jin rather than gong jin.
 */
export function correctPinyin(
  run: string,
  pairKnown: (a: string, b: string) => boolean = () => false,
): Unit[] | undefined {
  if (!looksLikeFullPinyin(run) || !/^[a-z]+$/.test(run)) return undefined;
  const unknownPairs = (units: readonly Unit[]) => {
    let count = 0;
    for (let i = 0; i + 1 < units.length; i++) {
      const a = units[i]?.syl;
      const b = units[i + 1]?.syl;
      if (!a || !b || !pairKnown(a, b)) count++;
    }
    return count;
  };
  const n = run.length;
  const own = cleanReading(run);
  let trouble: number;
  if (own) {
    if (unknownPairs(own) === 0) return undefined;
    // The first pair the index does not know.
    let at = 0;
    let offset = 0;
    while (at + 1 < own.length && pairKnown(own[at]?.syl ?? '', own[at + 1]?.syl ?? ''))
      offset += (own[at++]?.syl ?? '').length;
    trouble = offset + (own[at]?.syl ?? '').length;
  } else trouble = readableUntil(run);
  const from = Math.max(0, trouble - 7);
  const to = Math.min(n, trouble + 7);
  const readable: Unit[][] = [];
  for (const variant of edits(run.slice(from, to))) {
    const units = cleanReading(run.slice(0, from) + variant + run.slice(to));
    if (units) readable.push(units);
  }
  readable.sort((a, b) => a.length - b.length);
  let found: Unit[] | undefined;
  let foundScore = own ? unknownPairs(own) : Number.POSITIVE_INFINITY;
  for (const units of readable.slice(0, 400)) {
    const score = unknownPairs(units);
    if (score < foundScore) {
      found = units;
      foundScore = score;
    }
  }
  return found;
}

/** The best-known spelling one edit from an unknown latin word (4–12 letters), if the index has one. */
export function correctWord(word: string, wordKnown: (word: string) => number): string | undefined {
  if (word.length < 4 || word.length > 12 || !/^[a-z]+$/.test(word) || wordKnown(word) > 0) return undefined;
  let best: string | undefined;
  let bestDf = 0;
  for (const variant of edits(word)) {
    const df = wordKnown(variant);
    if (df > bestDf) {
      best = variant;
      bestDf = df;
    }
  }
  return best;
}
