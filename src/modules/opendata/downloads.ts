// The files of a version, generated from its stored rows: CSV (the canonical form whose SHA-256 names the version)
// and JSON, byte for byte the same on every call. Their layout (each file's size and where every 1,000th row
// begins) is kept with the version, so a download streams page by page with flat memory and answers byte ranges
// (RFC 9110 §14) by starting at the block before the range.
import { Buffer } from 'node:buffer';
import { csvHeader, csvRow, type TableSchema } from './dictionary.ts';

export type FileFormat = 'csv' | 'json';
export const BLOCK = 1000;

/** One format's bytes: what comes before the rows, each row (knowing whether it is the first), what comes after. */
export interface Encoding {
  readonly head: string;
  row(data: Readonly<Record<string, unknown>>, first: boolean): string;
  readonly tail: string;
}

export function encoding(format: FileFormat, schema: TableSchema): Encoding {
  if (format === 'csv') return { head: csvHeader(schema), row: (data) => csvRow(schema, data), tail: '' };
  const names = schema.fields.map((f) => f.name);
  // In the dictionary's order (jsonb keeps its own).
  return {
    head: '[',
    row: (data, first) =>
      `${first ? '' : ','}${JSON.stringify(Object.fromEntries(names.map((n) => [n, data[n] ?? null])))}`,
    tail: ']',
  };
}

export interface Offset {
  readonly row_no: number;
  readonly csv_offset: number;
  readonly json_offset: number;
}

/** Measures a version's files while its rows go by in order: sizes and block offsets. */
export class Layout {
  private readonly csv: Encoding;
  private readonly json: Encoding;
  private csvBytes: number;
  private jsonBytes: number;
  private count = 0;
  readonly offsets: Offset[] = [];

  constructor(schema: TableSchema) {
    this.csv = encoding('csv', schema);
    this.json = encoding('json', schema);
    this.csvBytes = Buffer.byteLength(this.csv.head);
    this.jsonBytes = Buffer.byteLength(this.json.head);
  }

  add(data: Readonly<Record<string, unknown>>): void {
    this.count++;
    if ((this.count - 1) % BLOCK === 0) {
      this.offsets.push({ row_no: this.count, csv_offset: this.csvBytes, json_offset: this.jsonBytes });
    }
    this.csvBytes += Buffer.byteLength(this.csv.row(data, this.count === 1));
    this.jsonBytes += Buffer.byteLength(this.json.row(data, this.count === 1));
  }

  get sizes(): { csv_bytes: number; json_bytes: number } {
    return {
      csv_bytes: this.csvBytes + Buffer.byteLength(this.csv.tail),
      json_bytes: this.jsonBytes + Buffer.byteLength(this.json.tail),
    };
  }
}

export interface ByteRange {
  readonly start: number;
  /** Inclusive. */
  readonly end: number;
}

/**
 * A `Range` header against a file of `size` bytes: the one range it asks for, `unsatisfiable` (416), or undefined
 * when the whole file goes (no header, another unit, a malformed or multi-range header: RFC 9110 lets a server
 * answer those with 200).
 */
export function parseRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | undefined {
  if (header === undefined) return undefined;
  const m = /^bytes=(\d{0,15})-(\d{0,15})$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size) return 'unsatisfiable';
  if (end < start) return undefined;
  return { start, end };
}

/** Where to begin generating for a range: the block holding its first byte (row 1 and the head for the start). */
export interface Start {
  readonly rowNo: number;
  readonly offset: number;
}

/**
 * The bytes of [range.start, range.end] of a file, generated from the rows from `from` on (read page by page with
 * `page(after)`), as buffers no larger than a page.
 */
export async function* bytesOf(
  enc: Encoding,
  from: Start,
  range: ByteRange,
  page: (after: number) => Promise<Array<{ row_no: number; data: Record<string, unknown> }>>,
  pageSize: number,
): AsyncGenerator<Buffer> {
  let at = from.offset; // the file offset of the next byte generated
  const take = (text: string): Buffer | undefined => {
    const buf = Buffer.from(text);
    const begin = at;
    at += buf.length;
    if (at <= range.start || begin > range.end) return undefined;
    return buf.subarray(Math.max(0, range.start - begin), Math.min(buf.length, range.end + 1 - begin));
  };
  if (from.rowNo === 1 && from.offset === 0) {
    const head = take(enc.head);
    if (head?.length) yield head;
  }
  for (let after = from.rowNo - 1; at <= range.end; ) {
    const rows = await page(after);
    if (rows.length) {
      const chunk = take(rows.map((r) => enc.row(r.data, r.row_no === 1)).join(''));
      if (chunk?.length) yield chunk;
    }
    if (rows.length < pageSize) {
      const tail = take(enc.tail);
      if (tail?.length) yield tail;
      return;
    }
    after = rows.at(-1)?.row_no ?? after;
  }
}
