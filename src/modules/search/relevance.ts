// Relevance measurement: the judged query set and nDCG@k (graded gain 2^g − 1, log2 discount), shared by the
// relevance test and the benchmark so both score the same way.
import { readFileSync } from 'node:fs';

export interface Judged {
  readonly query: string;
  /** document id → grade (3 the one sought, 2 also right, 1 related) */
  readonly grades: ReadonlyMap<string, number>;
  /** the comment heading the query's section (Chinese, pinyin, initials, …) */
  readonly section: string;
}

/** Reads a judged set: `query<TAB>id:grade id:grade …`, `#` lines head sections. */
export function readJudged(file: string): Judged[] {
  const out: Judged[] = [];
  let section = '';
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.startsWith('#')) {
      section = line.slice(1).trim();
      continue;
    }
    if (!line.trim()) continue;
    const [query = '', judged = ''] = line.split('\t');
    const grades = new Map<string, number>();
    for (const pair of judged.split(/\s+/).filter(Boolean)) {
      const at = pair.lastIndexOf(':');
      grades.set(pair.slice(0, at), Number(pair.slice(at + 1)));
    }
    out.push({ query, grades, section });
  }
  return out;
}

/** nDCG@k of a ranking against graded judgments (1 when the best possible order is returned). */
export function ndcgAt(ranked: readonly string[], grades: ReadonlyMap<string, number>, k = 10): number {
  const gain = (g: number) => 2 ** g - 1;
  let dcg = 0;
  ranked.slice(0, k).forEach((id, i) => {
    dcg += gain(grades.get(id) ?? 0) / Math.log2(i + 2);
  });
  const ideal = [...grades.values()].sort((a, b) => b - a).slice(0, k);
  let idcg = 0;
  ideal.forEach((g, i) => {
    idcg += gain(g) / Math.log2(i + 2);
  });
  return idcg === 0 ? 0 : dcg / idcg;
}
