// The generated formats of a version that are not byte-stable text: an XLSX workbook (exceljs' streaming writer) and
// a Parquet file (hyparquet-writer, one row group per page of rows), both written as their rows are read, waiting
// for the reader. CSV and JSON, whose bytes are the same on every call, are downloads.ts.
import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { ByteWriter, parquetWriteRows, type Writer } from 'hyparquet-writer';
import type { SchemaField, TableSchema } from './dictionary.ts';

export type Pages = AsyncIterable<ReadonlyArray<Readonly<Record<string, unknown>>>>;

/** Excel's limit: a worksheet holds at most 1,048,576 rows, the header one of them. */
export const XLSX_ROWS = 1_048_575;

const fail = (out: PassThrough) => (e: unknown) => out.destroy(e instanceof Error ? e : new Error(String(e)));
const drained = (out: PassThrough) =>
  out.writableNeedDrain ? new Promise<void>((resume) => out.once('drain', () => resume())) : Promise.resolve();

/** One worksheet: the field names as its header, numbers and booleans as such. */
export function xlsxStream(schema: TableSchema, sheetName: string, pages: Pages): Readable {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
  const sheet = workbook.addWorksheet(sheetName.slice(0, 31));
  sheet.columns = schema.fields.map((f) => ({ header: f.name, key: f.name }));
  (async () => {
    for await (const rows of pages) {
      for (const r of rows) sheet.addRow(schema.fields.map((f) => r[f.name] ?? null)).commit();
      await drained(out);
    }
    sheet.commit();
    await workbook.commit();
  })().catch(fail(out));
  return out;
}

/** A dictionary type as Parquet's: integers INT64, numbers DOUBLE, booleans BOOLEAN, dates and text STRING. */
const PARQUET_TYPES: Record<SchemaField['type'], 'INT64' | 'DOUBLE' | 'BOOLEAN' | 'STRING'> = {
  integer: 'INT64',
  number: 'DOUBLE',
  boolean: 'BOOLEAN',
  string: 'STRING',
  date: 'STRING',
  datetime: 'STRING',
};

function parquetValue(type: SchemaField['type'], value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (type === 'integer') return typeof value === 'number' && Number.isSafeInteger(value) ? BigInt(value) : null;
  if (type === 'number') return typeof value === 'number' ? value : Number(value);
  if (type === 'boolean') return Boolean(value);
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A Parquet file, one row group per page of rows, each sent as it is encoded (the footer last). */
export function parquetStream(schema: TableSchema, pages: Pages): Readable {
  const out = new PassThrough();
  // A byte writer whose buffer goes to the response after each row group, so it never holds more than one.
  const writer: ByteWriter & Pick<Writer, 'flush'> = new ByteWriter();
  const send = async () => {
    if (writer.index === 0) return;
    out.write(new Uint8Array(writer.buffer, 0, writer.index).slice());
    writer.index = 0;
    await drained(out);
  };
  writer.flush = send;
  writer.finish = async () => {
    await send();
    out.end();
  };
  async function* rows() {
    for await (const page of pages) {
      for (const r of page) {
        yield Object.fromEntries(schema.fields.map((f) => [f.name, parquetValue(f.type, r[f.name])]));
      }
    }
  }
  Promise.resolve(
    parquetWriteRows({
      writer,
      rows: rows(),
      columns: schema.fields.map((f) => ({ name: f.name, type: PARQUET_TYPES[f.type], nullable: true })),
      rowGroupSize: 10_000,
      createdBy: 'Zhengtong open data',
    }),
  ).catch(fail(out));
  return out;
}
