// Text analysis for search: what a document's fields index and what a typed query looks for.
//
// Chinese is indexed as character bigrams (plus single characters), because word segmenters split 公积金, 社保 and
// 不动产 wrongly. Titles and keywords are also indexed in pinyin: syllable bigrams ("she bao") and initial-letter
// bigrams ("s b"), so "shebao", "sbk", "社bao" and "gongjijin tiqu" all land. A query becomes one or more
// alternatives (pinyin readings, typo corrections, synonyms), each a list of groups of units; a unit is one
// character position as typed: a Han character, a full pinyin syllable, or a letter (an initial or the start of a
// syllable still being typed).
import { correctPinyin, correctWord, type Reading, readPinyin, syllablesOf, type Unit } from './pinyin.ts';

export type { Unit } from './pinyin.ts';
export { readPinyin, syllables, syllablesOf } from './pinyin.ts';

const HAN = /\p{Script=Han}/u;
const SEGMENTS = /\p{Script=Han}+|[a-z0-9]+/gu;

/** Full-width to half-width, lower case, compatibility forms folded (ＡＢＣ → abc). */
export const normalize = (text: string): string => text.normalize('NFKC').toLowerCase();

export const isHan = (ch: string): boolean => HAN.test(ch);

// ---- tokens -------------------------------------------------------------------------------------------------
// Han unigram and bigram tokens are the characters themselves; the prefixes keep the other kinds apart.
export const tokenSyllable = (s: string) => `@${s}`;
export const tokenSyllables = (a: string, b: string) => `@${a} ${b}`;
export const tokenLetters = (a: string, b: string) => `#${a}${b}`;
export const tokenWord = (w: string) => `$${w}`;

export interface FieldAnalysis {
  /** token → term frequency in this field */
  readonly tokens: Map<string, number>;
  /** the field's length in positions (characters for Han, words for latin) */
  readonly length: number;
}

const bump = (map: Map<string, number>, token: string) => map.set(token, (map.get(token) ?? 0) + 1);

/**
 * The tokens of one field. `pinyin` adds syllable and initial-letter forms (titles and keywords); `unigrams` adds
 * single Han characters (off for long bodies, where they cost memory and hardly rank).
 */
export function analyzeField(text: string, options: { pinyin: boolean; unigrams: boolean }): FieldAnalysis {
  const tokens = new Map<string, number>();
  let length = 0;
  for (const [segment] of normalize(text).matchAll(SEGMENTS)) {
    if (!isHan(segment)) {
      bump(tokens, tokenWord(segment));
      length++;
      continue;
    }
    const chars = [...segment];
    length += chars.length;
    const syl = options.pinyin ? syllablesOf(segment) : [];
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i] as string;
      if (options.unigrams || chars.length === 1) bump(tokens, c);
      if (options.pinyin) bump(tokens, tokenSyllable(syl[i] as string));
      if (i + 1 < chars.length) {
        bump(tokens, c + (chars[i + 1] as string));
        if (options.pinyin) {
          const a = syl[i] as string;
          const b = syl[i + 1] as string;
          bump(tokens, tokenSyllables(a, b));
          bump(tokens, tokenLetters(a[0] as string, b[0] as string));
        }
      }
    }
  }
  return { tokens, length };
}

// ---- queries ------------------------------------------------------------------------------------------------

/** A run of units typed together (no space or punctuation between Han characters). */
export type Group = readonly Unit[];

export interface Alternative {
  readonly groups: readonly Group[];
  /** latin words as typed (codes, abbreviations, English) */
  readonly words: readonly string[];
  readonly weight: number;
}

const hanUnits = (run: string): Unit[] => {
  const syl = syllablesOf(run);
  return [...run].map((char, i) => ({ char, syl: syl[i] as string }));
};

export interface SynonymTable {
  /** each group is a set of interchangeable terms (户口, 户籍) */
  readonly groups: readonly (readonly string[])[];
}

const unitMatchesChar = (u: Unit, char: string, syl: string): boolean =>
  u.char !== undefined ? u.char === char : u.syl !== undefined ? u.syl === syl : syl.startsWith(u.prefix ?? '\0');

/** Where `term` occurs in a group (by character or by reading), or -1. */
function findTerm(group: Group, term: readonly Unit[]): number {
  outer: for (let i = 0; i + term.length <= group.length; i++) {
    for (let j = 0; j < term.length; j++) {
      const t = term[j] as Unit;
      const u = group[i + j] as Unit;
      if (u.prefix !== undefined || !unitMatchesChar(u, t.char as string, t.syl as string)) continue outer;
    }
    return i;
  }
  return -1;
}

const MAX_ALTERNATIVES = 8;

/**
 * A typed query as the alternatives it may mean. The first is the query as typed (pinyin read the best way);
 * others are second readings, a typo correction, and each synonym substitution, at lower weights.
 */
export function parseQuery(
  query: string,
  synonyms: SynonymTable = { groups: [] },
  known?: (token: string) => number,
): Alternative[] {
  const text = normalize(query).slice(0, 100);
  // Runs: Han characters, latin letters (spaces inside a latin phrase do not break pinyin), digits.
  type Piece = { kind: 'han' | 'latin'; text: string; joined: boolean };
  const pieces: Piece[] = [];
  let last = 0;
  for (const m of text.matchAll(/\p{Script=Han}+|[a-z]+|[0-9]+/gu)) {
    const kind = isHan(m[0]) ? 'han' : 'latin';
    const gap = text.slice(last, m.index);
    pieces.push({ kind, text: m[0], joined: pieces.length > 0 && gap === '' });
    last = (m.index ?? 0) + m[0].length;
  }
  // Pinyin readings of each latin piece (digits stay words only).
  const readingsOf = pieces.map((p) => (/^[a-z]+$/.test(p.text) ? readPinyin(p.text) : ([] as Reading[])));
  // One alternative: Han pieces as characters, each latin piece as chosen (pinyin units, or a word if undefined).
  const assemble = (choice: (i: number) => Unit[] | undefined): { groups: Group[]; words: string[] } => {
    const groups: Unit[][] = [];
    const words: string[] = [];
    let current: Unit[] = [];
    pieces.forEach((p, i) => {
      const units = p.kind === 'han' ? hanUnits(p.text) : choice(i);
      if (p.kind === 'latin' && !units) words.push(p.text);
      // Han runs typed apart are separate groups; latin runs continue the group (people space pinyin words).
      const continues = p.kind === 'latin' ? current.length > 0 : p.joined;
      if (!continues && current.length) {
        groups.push(current);
        current = [];
      }
      if (units?.length) current.push(...units);
      else if (current.length) {
        groups.push(current);
        current = [];
      }
    });
    if (current.length) groups.push(current);
    return { groups, words };
  };
  const alternatives: Alternative[] = [];
  const keys = new Set<string>();
  const add = ({ groups, words }: { groups: Group[]; words: string[] }, weight: number) => {
    if (alternatives.length >= MAX_ALTERNATIVES || (groups.length === 0 && words.length === 0)) return;
    const key = JSON.stringify([groups, words]);
    if (keys.has(key)) return;
    keys.add(key);
    alternatives.push({ groups, words, weight });
  };
  add(
    assemble((i) => readingsOf[i]?.[0]?.units),
    1,
  );
  // Latin pieces as words (codes, abbreviations, English), beside their pinyin readings.
  if (pieces.some((p) => p.kind === 'latin'))
    add(
      assemble(() => undefined),
      0.9,
    );
  // A latin word the index does not know, one edit from one it does (licence → license): the known spelling.
  if (known) {
    const fixed = pieces.map((p) => (p.kind === 'latin' ? correctWord(p.text, (w) => known(tokenWord(w))) : undefined));
    if (fixed.some(Boolean)) {
      const { groups } = assemble(() => undefined);
      const words = pieces.flatMap((p, i) => (p.kind === 'latin' ? [fixed[i] ?? p.text] : []));
      add({ groups, words }, 0.7);
    }
  }
  // Second readings (xian: xian / xi an), one piece at a time; a long run's best reading is the one meant.
  readingsOf.forEach((readings, i) => {
    if ((pieces[i]?.text.length ?? 0) > 8) return;
    for (const r of readings.slice(1))
      add(
        assemble((j) => (j === i ? r.units : readingsOf[j]?.[0]?.units)),
        0.8,
      );
  });
  // Typo corrections of full-pinyin pieces.
  pieces.forEach((p, i) => {
    if (p.kind !== 'latin' || !/^[a-z]+$/.test(p.text)) return;
    const corrected = correctPinyin(p.text, (a, b) => (known?.(tokenSyllables(a, b)) ?? 0) > 0);
    if (corrected)
      add(
        assemble((j) => (j === i ? corrected : readingsOf[j]?.[0]?.units)),
        0.7,
      );
  });
  // Synonyms: replace a term found in a group (typed in Han or in pinyin) by each other term of its group.
  const base = [...alternatives];
  for (const alt of base) {
    for (const terms of synonyms.groups) {
      for (const term of terms) {
        const termUnits = hanUnits(term);
        alt.groups.forEach((group, gi) => {
          const at = findTerm(group, termUnits);
          if (at < 0) return;
          for (const other of terms) {
            if (other === term) continue;
            const replaced = [...group.slice(0, at), ...hanUnits(other), ...group.slice(at + termUnits.length)];
            add(
              { groups: alt.groups.map((g, k) => (k === gi ? replaced : g)), words: [...alt.words] },
              alt.weight * 0.5, // a synonym ranks below the words as typed
            );
          }
        });
      }
    }
  }
  return alternatives;
}

export interface QueryToken {
  readonly token: string;
  readonly weight: number;
  /** which position of the query this token stands for (coverage counts slots, not tokens) */
  readonly slot: number;
}

/** The index tokens an alternative looks up, each tied to the query position (slot) it covers. */
export function queryTokens(alt: Alternative): { tokens: QueryToken[]; slots: number } {
  const tokens: QueryToken[] = [];
  let slot = 0;
  for (const group of alt.groups) {
    if (group.length === 1) {
      const u = group[0] as Unit;
      if (u.char) tokens.push({ token: u.char, weight: 1, slot });
      else if (u.syl) tokens.push({ token: tokenSyllable(u.syl), weight: 0.8, slot });
      else continue; // a lone letter says too little
      slot++;
      continue;
    }
    for (let i = 0; i + 1 < group.length; i++, slot++) {
      const a = group[i] as Unit;
      const b = group[i + 1] as Unit;
      if (a.char && b.char) {
        tokens.push({ token: a.char + b.char, weight: 1, slot });
        // Homophones: a mistyped character still lands by its reading, weakly.
        tokens.push({ token: tokenSyllables(a.syl as string, b.syl as string), weight: 0.3, slot });
      } else if (a.syl && b.syl) {
        tokens.push({ token: tokenSyllables(a.syl, b.syl), weight: 0.9, slot });
      } else {
        const first = (u: Unit) => (u.syl ?? u.prefix ?? '')[0] as string;
        tokens.push({ token: tokenLetters(first(a), first(b)), weight: 0.7, slot });
      }
    }
  }
  for (const word of alt.words) {
    tokens.push({ token: tokenWord(word), weight: 1, slot });
    slot++;
  }
  return { tokens, slots: slot };
}

/** Whether a group's units occur contiguously in `text` (whose Han characters read `syl`). */
export function matchAt(group: Group, chars: readonly string[], syl: readonly string[], at: number): boolean {
  if (at + group.length > chars.length) return false;
  for (let j = 0; j < group.length; j++) {
    const c = chars[at + j] as string;
    if (!unitMatchesChar(group[j] as Unit, c, syl[at + j] ?? '')) return false;
  }
  return true;
}

/** Characters of a text with their readings (non-Han characters read as themselves). */
export function readText(text: string): { chars: string[]; syl: string[] } {
  const chars = [...text];
  const syl = new Array<string>(chars.length).fill('');
  let i = 0;
  for (const run of text.split(/(\p{Script=Han}+)/u)) {
    const n = [...run].length;
    if (n && isHan(run))
      syllablesOf(run).forEach((s, k) => {
        syl[i + k] = s;
      });
    i += n;
  }
  return { chars, syl };
}

const charReadings = new Map<string, string>();
/**
 * The same reading character by character from a cache (each character's usual reading, not in context): for
 * highlighting excerpts of long text on every query, where reading in context would cost more than the search.
 */
export function readTextQuickly(text: string): { chars: string[]; syl: string[] } {
  const chars = [...text];
  const syl = chars.map((c) => {
    let reading = charReadings.get(c);
    if (reading === undefined) {
      reading = isHan(c) ? (syllablesOf(c)[0] ?? '') : '';
      if (charReadings.size < 50_000) charReadings.set(c, reading);
    }
    return reading;
  });
  return { chars, syl };
}
