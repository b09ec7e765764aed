// A file uploaded to become an open dataset: read (CSV in UTF-8 or GB18030, XLSX, JSON), its dictionary inferred
// (types, required, unique; columns that look like resident IDs or mobile numbers marked as personal information),
// and its rows checked against the dictionary the publisher confirms. Every refusal names the line or the field.
import type { Buffer } from 'node:buffer';
import { Readable } from 'node:stream';
import { AppError } from '../../platform/errors.ts';
import { isValidMobile, isValidResidentId } from '../privacy/index.ts';
import { rowsOf } from '../registry/index.ts';
import type { SchemaField, TableSchema } from './dictionary.ts';

export type UploadFormat = 'csv' | 'xlsx' | 'json';
export type UploadEncoding = 'utf-8' | 'gb18030';
export const MAX_UPLOAD_ROWS = 1_000_000;

/** A dictionary field as inferred: what the column looks like, and the personal information it seems to hold. */
export type InferredField = SchemaField & { readonly source: string; readonly piiType?: 'resident_id' | 'phone' };

export interface ParsedUpload {
  readonly header: readonly string[];
  /** Each row's cells as text, with the line (CSV), row (XLSX) or index + 1 (JSON) it came from. */
  readonly rows: ReadonlyArray<{ readonly line: number; readonly cells: readonly string[] }>;
}

/** The line (1-based) holding the first byte that is not UTF-8, or undefined when the whole buffer is UTF-8. */
export function firstNonUtf8Line(buf: Uint8Array): number | undefined {
  let line = 1;
  for (let i = 0; i < buf.length; ) {
    const b = buf[i] ?? 0;
    if (b === 0x0a) line++;
    const n = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (n === 0) return line;
    for (let k = 1; k < n; k++) if (((buf[i + k] ?? 0) & 0xc0) !== 0x80) return line;
    if (n > 1) {
      const cp =
        n === 2
          ? ((b & 0x1f) << 6) | ((buf[i + 1] ?? 0) & 0x3f)
          : n === 3
            ? ((b & 0x0f) << 12) | (((buf[i + 1] ?? 0) & 0x3f) << 6) | ((buf[i + 2] ?? 0) & 0x3f)
            : ((b & 0x07) << 18) |
              (((buf[i + 1] ?? 0) & 0x3f) << 12) |
              (((buf[i + 2] ?? 0) & 0x3f) << 6) |
              ((buf[i + 3] ?? 0) & 0x3f);
      const overlong = (n === 3 && cp < 0x800) || (n === 4 && cp < 0x10000);
      if (overlong || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) return line;
    }
    i += n;
  }
  return undefined;
}

/** Text of a CSV or JSON upload in the encoding named; a file that is not in it is refused at its first bad line. */
function decode(buf: Buffer, encoding: UploadEncoding): string {
  if (encoding === 'gb18030') {
    try {
      return new TextDecoder('gb18030', { fatal: true }).decode(buf);
    } catch {
      throw new AppError('opendata.upload_encoding', 400, 'The file is not GB18030 text');
    }
  }
  const line = firstNonUtf8Line(buf);
  if (line !== undefined) {
    throw new AppError(
      'opendata.upload_encoding',
      400,
      `line ${line}: the file is not UTF-8 (a file saved by Excel as GBK/GB18030 uploads with encoding=gb18030)`,
      { line },
    );
  }
  return buf.toString('utf8').replace(/^\uFEFF/, '');
}

function checkHeader(header: readonly string[]): void {
  if (header.length === 0 || header.every((h) => h === ''))
    throw new AppError('opendata.upload_empty', 400, 'The file has no header row');
  header.forEach((h, i) => {
    if (h === '')
      throw new AppError('opendata.upload_header', 400, `column ${i + 1} has no name in the header`, { column: i + 1 });
    if (header.indexOf(h) !== i) {
      throw new AppError('opendata.upload_header', 400, `column ${i + 1}: '${h}' appears twice in the header`, {
        column: i + 1,
      });
    }
  });
}

/** Reads an upload into its header and rows of text cells. */
export async function parseUpload(buf: Buffer, format: UploadFormat, encoding: UploadEncoding): Promise<ParsedUpload> {
  if (buf.length === 0) throw new AppError('opendata.upload_empty', 400, 'The file is empty');
  if (format === 'json') return parseJson(decode(buf, 'utf-8'));
  if (format === 'csv' && buf.subarray(0, 4096).includes(0)) {
    throw new AppError('opendata.upload_encoding', 400, 'The file holds binary data, not CSV text');
  }
  const source = format === 'csv' ? Readable.from([decode(buf, encoding)]) : Readable.from([buf]);
  let header: string[] | undefined;
  const rows: Array<{ line: number; cells: string[] }> = [];
  try {
    for await (const row of rowsOf(source, format)) {
      header ??= Object.keys(row.cells);
      if (rows.length >= MAX_UPLOAD_ROWS) {
        throw new AppError('opendata.upload_too_many', 400, `A dataset may have at most ${MAX_UPLOAD_ROWS} rows`);
      }
      rows.push({ line: row.line, cells: header.map((h) => row.cells[h] ?? '') });
    }
  } catch (e) {
    if (e instanceof AppError && e.code === 'import.malformed_file') {
      throw new AppError('opendata.upload_malformed', 400, e.message, e.details as Record<string, unknown> | undefined);
    }
    throw e;
  }
  if (!header) throw new AppError('opendata.upload_empty', 400, 'The file has a header but no rows');
  checkHeader(header);
  return { header, rows };
}

function parseJson(text: string): ParsedUpload {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new AppError('opendata.upload_malformed', 400, `not JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(data))
    throw new AppError('opendata.upload_malformed', 400, 'The JSON must be an array of records');
  if (data.length === 0) throw new AppError('opendata.upload_empty', 400, 'The JSON array has no records');
  if (data.length > MAX_UPLOAD_ROWS) {
    throw new AppError('opendata.upload_too_many', 400, `A dataset may have at most ${MAX_UPLOAD_ROWS} rows`);
  }
  const header: string[] = [];
  data.forEach((record, i) => {
    if (record === null || typeof record !== 'object' || Array.isArray(record)) {
      throw new AppError('opendata.upload_malformed', 400, `record ${i + 1} is not an object`, { line: i + 1 });
    }
    for (const [k, v] of Object.entries(record)) {
      if (v !== null && typeof v === 'object') {
        throw new AppError(
          'opendata.upload_malformed',
          400,
          `record ${i + 1}, field '${k}': nested values are not a table`,
          {
            line: i + 1,
            field: k,
          },
        );
      }
      if (!header.includes(k)) header.push(k);
    }
  });
  checkHeader(header);
  const rows = (data as Array<Record<string, unknown>>).map((record, i) => ({
    line: i + 1,
    cells: header.map((h) => (record[h] === null || record[h] === undefined ? '' : String(record[h]))),
  }));
  return { header, rows };
}

const INTEGER = /^[+-]?\d{1,15}$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const BOOLEAN = new Set(['true', 'false', '是', '否']);
const validDate = (v: string) => !Number.isNaN(Date.parse(v.length === 10 ? `${v}T00:00:00Z` : v.replace(' ', 'T')));

/** A field name made from a header: itself when it is already a plain name, else c1, c2, … (its title keeps it). */
const nameOf = (header: string, i: number) => (/^[a-z][a-z0-9_]{0,62}$/.test(header) ? header : `c${i + 1}`);

/** The dictionary a file suggests: a type each column's values all fit, required and unique where they hold. */
export function inferSchema(parsed: ParsedUpload): { fields: InferredField[]; primaryKey?: string[] } {
  const fields = parsed.header.map((title, i): InferredField => {
    const values = parsed.rows.map((r) => (r.cells[i] ?? '').trim()).filter((v) => v !== '');
    const all = (test: (v: string) => boolean) => values.length > 0 && values.every(test);
    const type: SchemaField['type'] = all((v) => INTEGER.test(v))
      ? 'integer'
      : all((v) => NUMBER.test(v))
        ? 'number'
        : all((v) => BOOLEAN.has(v.toLowerCase()))
          ? 'boolean'
          : all((v) => DATE.test(v) && validDate(v))
            ? 'date'
            : all((v) => DATETIME.test(v) && validDate(v))
              ? 'datetime'
              : 'string';
    const required = values.length === parsed.rows.length && values.length > 0;
    const unique = required && new Set(values).size === values.length;
    const share = (test: (v: string) => boolean) => values.filter(test).length / Math.max(1, values.length);
    const piiType =
      values.length && share((v) => isValidResidentId(v)) >= 0.5
        ? 'resident_id'
        : values.length && share((v) => isValidMobile(v.replace(/[\s-]/g, ''))) >= 0.5
          ? 'phone'
          : undefined;
    return {
      source: title,
      name: nameOf(title, i),
      title,
      type,
      ...(required || unique
        ? { constraints: { ...(required ? { required } : {}), ...(unique ? { unique } : {}) } }
        : {}),
      ...(piiType ? { piiType } : {}),
    };
  });
  const names = fields.map((f) => f.name);
  const deduped = fields.map((f, i) => (names.indexOf(f.name) === i ? f : { ...f, name: `c${i + 1}` }));
  const key = deduped.find((f) => f.constraints?.unique);
  return { fields: deduped, ...(key ? { primaryKey: [key.name] } : {}) };
}

function typed(field: SchemaField, text: string, line: number): unknown {
  const v = text.trim();
  const fail = (what: string) =>
    new AppError('opendata.upload_value', 400, `line ${line}, field '${field.name}': '${text.slice(0, 50)}' ${what}`, {
      line,
      field: field.name,
    });
  if (v === '') {
    if (field.constraints?.required) throw fail('is empty, and the field is required');
    return null;
  }
  switch (field.type) {
    case 'integer':
      if (!INTEGER.test(v)) throw fail('is not an integer');
      return Number(v);
    case 'number':
      if (!NUMBER.test(v) || !Number.isFinite(Number(v))) throw fail('is not a number');
      return Number(v);
    case 'boolean':
      if (!BOOLEAN.has(v.toLowerCase())) throw fail('is not true/false (是/否)');
      return v.toLowerCase() === 'true' || v === '是';
    case 'date':
      if (!DATE.test(v) || !validDate(v)) throw fail('is not a date (YYYY-MM-DD)');
      return v;
    case 'datetime':
      if (!DATETIME.test(v) || !validDate(v)) throw fail('is not a date and time (ISO 8601)');
      return v;
    default:
      return v;
  }
}

/**
 * The rows as the dictionary types them, projected to its fields (each named by the file's column it comes from, its
 * title). A value that does not fit, an empty required one or a repeated unique one is refused with its line.
 */
export function typedRows(
  parsed: ParsedUpload,
  schema: TableSchema,
  columns: readonly number[],
): Array<Record<string, unknown>> {
  const seen = schema.fields.map((f) => (f.constraints?.unique ? new Map<unknown, number>() : undefined));
  return parsed.rows.map((row) => {
    const out: Record<string, unknown> = {};
    schema.fields.forEach((f, k) => {
      const value = typed(f, row.cells[columns[k] ?? -1] ?? '', row.line);
      const enumValues = f.constraints?.enum;
      if (value !== null && enumValues && !enumValues.includes(String(value))) {
        throw new AppError(
          'opendata.upload_value',
          400,
          `line ${row.line}, field '${f.name}': '${value}' is not one of its values`,
          {
            line: row.line,
            field: f.name,
          },
        );
      }
      const s = seen[k];
      if (s && value !== null) {
        const first = s.get(value);
        if (first !== undefined) {
          throw new AppError(
            'opendata.upload_value',
            400,
            `line ${row.line}, field '${f.name}': '${value}' repeats line ${first}`,
            {
              line: row.line,
              field: f.name,
            },
          );
        }
        s.set(value, row.line);
      }
      out[f.name] = value;
    });
    return out;
  });
}
