// Relevance: the judged query set (judged-queries.tsv: Chinese, colloquial words, synonyms, pinyin, initials,
// mixed input, typos, the catalog) against the demo government, through the public API. The mean nDCG@10 must not
// fall below the baseline recorded in judged-baseline.json; raise the baseline when ranking improves.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ENGINE, startTestPlatform, waitFor } from '../../../test/helpers.ts';
import { seedDemo } from '../../demo/demo.ts';
import { ndcgAt, readJudged } from './relevance.ts';

const here = (name: string) => new URL(name, import.meta.url).pathname;
const judged = readJudged(here('judged-queries.tsv'));
const baseline = JSON.parse(readFileSync(here('judged-baseline.json'), 'utf8')) as { ndcg10: number };

const p = await startTestPlatform();
await seedDemo(p.ctx);

test(`[${ENGINE}] the judged query set keeps its nDCG@10 (${judged.length} queries)`, async () => {
  assert.ok(judged.length >= 100);
  // The seed's commits reach the index through NOTIFY; wait until every service and register is in it.
  await waitFor(
    'the demo to reach the index',
    async () => (await p.public.inject({ url: '/api/v1/search?q=dengji&size=1' })).json().total >= 10,
  );
  let sum = 0;
  const sections = new Map<string, { sum: number; n: number }>();
  const worst: [number, string, string][] = [];
  for (const j of judged) {
    const res = await p.public.inject({ url: `/api/v1/search?q=${encodeURIComponent(j.query)}&size=10` });
    assert.equal(res.statusCode, 200, j.query);
    const hits = res.json().hits as { id: string; title: string }[];
    const score = ndcgAt(
      hits.map((h) => h.id),
      j.grades,
    );
    sum += score;
    const s = sections.get(j.section) ?? { sum: 0, n: 0 };
    sections.set(j.section, { sum: s.sum + score, n: s.n + 1 });
    worst.push([score, j.query, hits.map((h) => h.title).join(' | ')]);
  }
  const mean = sum / judged.length;
  for (const [section, s] of sections) console.log(`  ${(s.sum / s.n).toFixed(3)}  ${section} (${s.n})`);
  for (const [score, q, got] of worst.sort((a, b) => a[0] - b[0]).slice(0, 5))
    console.log(`  weakest ${score.toFixed(3)}  ${q} → ${got}`);
  console.log(`  mean nDCG@10 ${mean.toFixed(4)} (baseline ${baseline.ndcg10})`);
  assert.ok(mean >= baseline.ndcg10, `nDCG@10 fell to ${mean.toFixed(4)} below the baseline ${baseline.ndcg10}`);
});
