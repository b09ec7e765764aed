// Streams rows out of an uploaded file: CSV (csv-parse) or XLSX (exceljs' streaming reader). The first row is the
// header. Every cell arrives as text; the importer converts it by its field's type.
import type { Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import { AppError } from '../../platform/errors.ts';

export interface SourceRow {
  /** 1-based line (CSV) or row number (XLSX) in the file, the header being 1. */
  readonly line: number;
  readonly cells: Readonly<Record<string, string>>;
}

export type ImportFormat = 'csv' | 'xlsx';

const malformed = (message: string, line?: number) =>
  new AppError('import.malformed_file', 400, line ? `line ${line}: ${message}` : message, line ? { line } : undefined);

/** A header row's names, trimmed; a name given twice would lose one column's cells, so it is refused. */
function headerNames(cells: readonly string[]): string[] {
  const names = cells.map((h) => h.trim());
  names.forEach((h, i) => {
    if (h !== '' && names.indexOf(h) !== i) throw malformed(`column ${i + 1}: '${h}' appears twice in the header`, 1);
  });
  return names;
}

async function* csvRows(input: Readable): AsyncGenerator<SourceRow> {
  const parser = input.pipe(
    parse({
      columns: headerNames,
      bom: true,
      skip_empty_lines: true,
      info: true,
      trim: false,
    }),
  );
  try {
    for await (const item of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      yield { line: item.info.lines, cells: item.record };
    }
  } catch (e) {
    if (e instanceof CsvError)
      throw malformed(
        e.message.replace(/^Invalid Record Length: /, 'wrong number of columns: '),
        (e as CsvError & { lines?: number }).lines,
      );
    throw e;
  }
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if (typeof value === 'object') {
    const v = value as { text?: unknown; result?: unknown; richText?: Array<{ text: string }> };
    if (v.richText) return v.richText.map((r) => r.text).join('');
    if (v.text !== undefined) return String(v.text);
    if (v.result !== undefined) return cellText(v.result);
  }
  return String(value);
}

async function* xlsxRows(input: Readable): AsyncGenerator<SourceRow> {
  // Styles are what tell a date cell from a number.
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    sharedStrings: 'cache',
    worksheets: 'emit',
    styles: 'cache',
    hyperlinks: 'ignore',
  });
  try {
    for await (const sheet of reader) {
      let header: string[] | undefined;
      for await (const row of sheet) {
        const values = (row.values as unknown[]).slice(1).map(cellText);
        if (!header) {
          header = headerNames(values);
          continue;
        }
        if (values.every((v) => v === '')) continue;
        yield { line: row.number, cells: Object.fromEntries(header.map((h, i) => [h, values[i] ?? ''])) };
      }
      return; // the first worksheet only
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw malformed(`not a readable XLSX workbook (${(e as Error).message})`);
  }
}

export function rowsOf(input: Readable, format: ImportFormat): AsyncGenerator<SourceRow> {
  return format === 'csv' ? csvRows(input) : xlsxRows(input);
}
