// Search: our engine against flexsearch, minisearch and @orama/orama on the same 100,000 generated service items
// and the same 1,000 judged queries — index build time, heap, query p50/p99, nDCG@10 (overall and per kind of
// query). Each engine runs in a child process of its own (clean heap, and a time limit: an engine that does not
// build within it is reported as not finishing). The libraries get the best Chinese set-up they allow: the same
// tokenizer for documents and queries — character bigrams, plus pinyin syllable and initial bigrams for titles
// and keywords, and latin input read as pinyin — and field boosts where they support them.
import { spawnSync } from 'node:child_process';
import { create, insertMultiple, search as oramaSearch } from '@orama/orama';
import FlexSearch from 'flexsearch';
import MiniSearch from 'minisearch';
import {
  isHan,
  normalize,
  readPinyin,
  syllables,
  syllablesOf,
  tokenLetters,
  tokenSyllables,
} from '../src/modules/search/analysis.ts';
import { SearchIndex } from '../src/modules/search/index.ts';
import { ndcgAt } from '../src/modules/search/relevance.ts';
import { type BenchDoc, corpus, queries } from './search-corpus.ts';

const ENGINES = ['zhengtong', 'flexsearch', 'minisearch', 'orama'] as const;
type EngineName = (typeof ENGINES)[number];
const SIZE = Number(process.env.SEARCH_BENCH_DOCS ?? 100_000);
const LIMIT_S = Number(process.env.SEARCH_BENCH_LIMIT_S ?? 600);

/** The tokenizer the libraries get, for documents and queries alike. */
function libraryTokens(text: string, pinyin: boolean): string[] {
  const out: string[] = [];
  for (const [segment] of normalize(text).matchAll(/\p{Script=Han}+|[a-z0-9]+/gu)) {
    if (isHan(segment)) {
      const chars = [...segment];
      const syl = pinyin ? syllablesOf(segment) : [];
      if (chars.length === 1) out.push(segment);
      for (let i = 0; i + 1 < chars.length; i++) {
        out.push((chars[i] as string) + (chars[i + 1] as string));
        if (pinyin) {
          out.push(tokenSyllables(syl[i] as string, syl[i + 1] as string));
          out.push(tokenLetters((syl[i] as string)[0] as string, (syl[i + 1] as string)[0] as string));
        }
      }
      continue;
    }
    out.push(segment);
    if (!pinyin || !/^[a-z]+$/.test(segment)) continue;
    const units = readPinyin(segment, 1)[0]?.units ?? [];
    for (let i = 0; i + 1 < units.length; i++) {
      const a = units[i];
      const b = units[i + 1];
      if (a?.syl && b?.syl) out.push(tokenSyllables(a.syl, b.syl));
      out.push(tokenLetters((a?.syl ?? a?.prefix ?? '')[0] ?? '', (b?.syl ?? b?.prefix ?? '')[0] ?? ''));
    }
  }
  return out;
}

interface Engine {
  build(docs: readonly BenchDoc[]): void;
  search(q: string): string[];
}

function zhengtong(): Engine {
  const index = new SearchIndex();
  return {
    build(docs) {
      for (const d of docs) index.put(d);
      index.compact();
    },
    search: (q) => index.search(q, { size: 10 }).hits.map((h) => h.doc.id),
  };
}

function flexsearch(): Engine {
  // Titles and keywords in one index (pinyin forms), bodies in another (bigrams); body hits fill up the ten.
  const head = new FlexSearch.Index({ tokenize: 'strict', encode: (s: string) => libraryTokens(s, true) });
  const body = new FlexSearch.Index({ tokenize: 'strict', encode: (s: string) => libraryTokens(s, false) });
  return {
    build(docs) {
      for (const d of docs) {
        head.add(Number(d.id), `${d.title} ${d.keywords.join(' ')}`);
        body.add(Number(d.id), d.body);
      }
    },
    search(q) {
      const ids = (head.search(q, { limit: 10, suggest: true }) as number[]).map(String);
      if (ids.length >= 10) return ids;
      for (const id of body.search(q, { limit: 10, suggest: true }) as number[]) {
        if (ids.length < 10 && !ids.includes(String(id))) ids.push(String(id));
      }
      return ids;
    },
  };
}

function minisearch(): Engine {
  const index = new MiniSearch<BenchDoc>({
    fields: ['title', 'keywords', 'body'],
    extractField: (doc, field) =>
      field === 'keywords' ? doc.keywords.join(' ') : String((doc as unknown as Record<string, unknown>)[field]),
    tokenize: (text, field) => libraryTokens(text, field !== 'body'),
    processTerm: (term) => term,
    searchOptions: { boost: { title: 8, keywords: 4 }, combineWith: 'OR', tokenize: (t) => libraryTokens(t, true) },
  });
  return {
    build: (docs) => index.addAll(docs),
    search: (q) =>
      index
        .search(q)
        .slice(0, 10)
        .map((r) => String(r.id)),
  };
}

function orama(): Engine {
  const db = create({
    schema: { id: 'string', title: 'string', keywords: 'string', body: 'string' } as const,
    components: {
      tokenizer: {
        language: 'english',
        normalizationCache: new Map(),
        tokenize: (raw: string, _language?: string, prop?: string) => libraryTokens(raw, prop !== 'body'),
      },
    },
  });
  return {
    build(docs) {
      insertMultiple(
        db,
        docs.map((d) => ({ id: d.id, title: d.title, keywords: d.keywords.join(' '), body: d.body })),
        1000,
      );
    },
    search(q) {
      const result = oramaSearch(db, {
        term: q,
        properties: ['title', 'keywords', 'body'],
        boost: { title: 8, keywords: 4 },
        limit: 10,
      }) as { hits: { document: { id: string } }[] };
      return result.hits.map((h) => h.document.id);
    },
  };
}

const ENGINE_OF: Record<EngineName, () => Engine> = { zhengtong, flexsearch, minisearch, orama };

const gc = () => (globalThis as { gc?: () => void }).gc?.();
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};
const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;

function runOne(name: EngineName) {
  syllables(); // the pinyin tables, outside every engine's figures
  const docs = corpus(SIZE);
  const qs = queries(docs);
  const before = heap();
  const engine = ENGINE_OF[name]();
  const t0 = performance.now();
  engine.build(docs);
  const buildMs = performance.now() - t0;
  const heapMiB = (heap() - before) / 2 ** 20;
  console.log(JSON.stringify({ phase: 'built', engine: name, buildMs, heapMiB }));
  for (const q of qs.slice(0, 50)) engine.search(q.q); // warm-up
  const times: number[] = [];
  let sum = 0;
  const kinds = new Map<string, { sum: number; n: number }>();
  for (const q of qs) {
    const s = performance.now();
    const ids = engine.search(q.q);
    times.push(performance.now() - s);
    const score = ndcgAt(ids, q.grades);
    sum += score;
    const k = kinds.get(q.kind) ?? { sum: 0, n: 0 };
    kinds.set(q.kind, { sum: k.sum + score, n: k.n + 1 });
  }
  times.sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      engine: name,
      buildMs,
      heapMiB,
      p50: pct(times, 50),
      p99: pct(times, 99),
      ndcg: sum / qs.length,
      kinds: Object.fromEntries([...kinds].map(([k, v]) => [k, v.sum / v.n])),
    }),
  );
}

const only = process.argv.find((a) => a.startsWith('--engine='))?.slice('--engine='.length) as EngineName | undefined;
if (only) runOne(only);
else {
  console.log(`search: ${SIZE.toLocaleString()} generated items, 1,000 judged queries, one child process per engine`);
  const rows: Record<string, unknown>[] = [];
  for (const name of ENGINES) {
    const child = spawnSync(process.execPath, ['--expose-gc', process.argv[1] as string, `--engine=${name}`], {
      encoding: 'utf8',
      timeout: LIMIT_S * 1000,
      maxBuffer: 1 << 24,
    });
    const lines = (child.stdout ?? '').split('\n').filter((l) => l.startsWith('{'));
    const line = lines.find((l) => !l.includes('"phase"'));
    if (!line) {
      const built = lines[0] ? JSON.parse(lines[0]) : undefined;
      const figures = built
        ? `build ${(built.buildMs / 1000).toFixed(1).padStart(6)} s  heap ${built.heapMiB.toFixed(0).padStart(5)} MiB  `
        : '';
      const stderr = child.stderr ? ` (${child.stderr.slice(0, 300)})` : '';
      console.log(
        `${name.padEnd(11)} ${figures}did not finish ${built ? 'its 1,000 queries' : 'building'} within ${LIMIT_S} s${stderr}`,
      );
      rows.push({ engine: name, finished: false });
      continue;
    }
    const r = JSON.parse(line);
    rows.push(r);
    console.log(
      `${name.padEnd(11)} build ${(r.buildMs / 1000).toFixed(1).padStart(6)} s  heap ${r.heapMiB.toFixed(0).padStart(5)} MiB  ` +
        `p50 ${r.p50.toFixed(2).padStart(7)} ms  p99 ${r.p99.toFixed(2).padStart(7)} ms  nDCG@10 ${r.ndcg.toFixed(3)}`,
    );
    console.log(
      `            by kind: ${Object.entries(r.kinds as Record<string, number>)
        .map(([k, v]) => `${k} ${v.toFixed(2)}`)
        .join(', ')}`,
    );
  }
}
