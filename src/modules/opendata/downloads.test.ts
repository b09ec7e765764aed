// A version's files and their byte ranges: the layout measured at release and the bytes generated from any block
// are exactly the slice of the whole file, for any rows (commas, quotes, line breaks, CJK, emoji) and any range.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { TableSchema } from './dictionary.ts';
import { BLOCK, bytesOf, encoding, Layout, parseRange } from './downloads.ts';

const schema: TableSchema = {
  fields: [
    { name: 'n', title: '序号', type: 'integer' },
    { name: 'text', title: '文本', type: 'string' },
  ],
};
const cell = fc.oneof(fc.string(), fc.constantFrom('和平区,"南"站', '第一行\r\n第二行', '😀', '', 'x'.repeat(300)));

function whole(format: 'csv' | 'json', rows: Array<Record<string, unknown>>): Buffer {
  const enc = encoding(format, schema);
  return Buffer.from(enc.head + rows.map((r, i) => enc.row(r, i === 0)).join('') + enc.tail);
}

async function ranged(format: 'csv' | 'json', rows: Array<Record<string, unknown>>, start: number, end: number) {
  const layout = new Layout(schema);
  for (const r of rows) layout.add(r);
  const offsets = layout.offsets;
  const key = format === 'csv' ? 'csv_offset' : 'json_offset';
  const block = offsets.filter((o) => o[key] <= start).at(-1);
  const from = start > 0 && block ? { rowNo: block.row_no, offset: block[key] } : { rowNo: 1, offset: 0 };
  const stored = rows.map((data, i) => ({ row_no: i + 1, data }));
  const pageSize = 7;
  const chunks: Buffer[] = [];
  const page = async (after: number) => stored.filter((r) => r.row_no > after).slice(0, pageSize);
  for await (const b of bytesOf(encoding(format, schema), from, { start, end }, page, pageSize)) chunks.push(b);
  return { bytes: Buffer.concat(chunks), layout };
}

test('the layout measures each file exactly and blocks start every 1,000 rows', async () => {
  const rows = Array.from({ length: 2 * BLOCK + 5 }, (_, i) => ({ n: i + 1, text: i % 3 ? `行${i}` : 'a,"b"' }));
  const layout = new Layout(schema);
  for (const r of rows) layout.add(r);
  assert.equal(layout.sizes.csv_bytes, whole('csv', rows).length);
  assert.equal(layout.sizes.json_bytes, whole('json', rows).length);
  assert.deepEqual(
    layout.offsets.map((o) => o.row_no),
    [1, BLOCK + 1, 2 * BLOCK + 1],
  );
  const csv = whole('csv', rows);
  const third = layout.offsets[2];
  assert.ok(third);
  assert.equal(csv.subarray(third.csv_offset).toString().split('\r\n')[0], `${2 * BLOCK + 1},行${2 * BLOCK}`);
  // A range across a block boundary, from a block that is not the first.
  for (const format of ['csv', 'json'] as const) {
    const file = whole(format, rows);
    const start = (layout.offsets[1]?.[format === 'csv' ? 'csv_offset' : 'json_offset'] ?? 0) + 3;
    const { bytes } = await ranged(format, rows, start, start + 40_000);
    assert.deepEqual(bytes, file.subarray(start, start + 40_001));
  }
});

test('any range of any table is the slice of the whole file', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.record({ n: fc.integer(), text: cell }), { maxLength: 40 }),
      fc.constantFrom('csv' as const, 'json' as const),
      fc.nat(),
      fc.nat(),
      async (rows, format, a, b) => {
        const file = whole(format, rows);
        const start = a % file.length;
        const end = start + (b % (file.length - start));
        const { bytes, layout } = await ranged(format, rows, start, end);
        assert.equal(layout.sizes[format === 'csv' ? 'csv_bytes' : 'json_bytes'], file.length);
        assert.deepEqual(bytes, file.subarray(start, end + 1));
      },
    ),
    { numRuns: 300 },
  );
});

test('Range headers as RFC 9110 reads them', () => {
  assert.deepEqual(parseRange('bytes=0-99', 1000), { start: 0, end: 99 });
  assert.deepEqual(parseRange('bytes=900-', 1000), { start: 900, end: 999 });
  assert.deepEqual(parseRange('bytes=-100', 1000), { start: 900, end: 999 });
  assert.deepEqual(parseRange('bytes=-5000', 1000), { start: 0, end: 999 });
  assert.deepEqual(parseRange('bytes=990-5000', 1000), { start: 990, end: 999 });
  assert.equal(parseRange('bytes=1000-', 1000), 'unsatisfiable');
  assert.equal(parseRange('bytes=-0', 1000), 'unsatisfiable');
  // Whole file: none asked, another unit, malformed, reversed, several ranges.
  for (const h of [undefined, 'items=0-1', 'bytes=a-b', 'bytes=5-1', 'bytes=0-1,5-9', 'bytes=-', 'bytes=1e3-']) {
    assert.equal(parseRange(h, 1000), undefined, String(h));
  }
});
