// The data dictionary of an open dataset (Frictionless Table Schema) from its register's fields, which fields may be
// opened at all, and the canonical CSV whose SHA-256 identifies a version. Pure functions.
import { createHash } from 'node:crypto';
import type { Field } from '../registry/index.ts';

/** A Table Schema field (https://specs.frictionlessdata.io/table-schema/). */
export interface SchemaField {
  readonly name: string;
  readonly title: string;
  readonly type: 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'datetime';
  readonly description?: string;
  /** The unit of a numeric field's values (元, 千瓦时, 人), shown with them. */
  readonly unit?: string;
  readonly constraints?: {
    readonly required?: boolean;
    readonly unique?: boolean;
    readonly enum?: readonly string[];
    readonly minimum?: number;
    readonly maximum?: number;
    readonly pattern?: string;
  };
}
export interface TableSchema {
  readonly fields: readonly SchemaField[];
  readonly primaryKey?: readonly string[];
}

const TYPES: Record<Field['type'], SchemaField['type']> = {
  string: 'string',
  integer: 'integer',
  decimal: 'number',
  date: 'date',
  datetime: 'datetime',
  boolean: 'boolean',
  enum: 'string',
  code_list: 'string',
  file: 'string',
};

/**
 * Why a field may not be opened, or undefined when it may: important and core data (GB/T 43697) and personal
 * information never leave in clear; files are references, not data.
 */
export function closedBecause(f: Field): string | undefined {
  if (f.grade !== 'general') return `graded ${f.grade}`;
  if (f.piiType !== 'none') return `personal information (${f.piiType})`;
  if (f.type === 'file') return 'a file reference';
  return undefined;
}

export const publishable = (fields: readonly Field[]): Field[] => fields.filter((f) => !closedBecause(f));

export function tableSchema(fields: readonly Field[]): TableSchema {
  const out = fields.map((f): SchemaField => {
    const constraints = {
      ...(f.required ? { required: true } : {}),
      ...(f.unique ? { unique: true } : {}),
      ...(f.enumValues ? { enum: f.enumValues } : {}),
      ...(f.type !== 'string' && f.min !== undefined ? { minimum: f.min } : {}),
      ...(f.type !== 'string' && f.max !== undefined ? { maximum: f.max } : {}),
      ...(f.pattern ? { pattern: f.pattern } : {}),
    };
    return {
      name: f.code,
      title: f.name,
      type: TYPES[f.type],
      ...(f.description ? { description: f.description } : {}),
      ...(Object.keys(constraints).length ? { constraints } : {}),
    };
  });
  const key = fields.find((f) => f.unique && f.required);
  return { fields: out, ...(key ? { primaryKey: [key.code] } : {}) };
}

/** One CSV cell (RFC 4180): quoted when it holds a comma, a quote or a line break. */
function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const csvHeader = (schema: TableSchema): string => `${schema.fields.map((f) => cell(f.name)).join(',')}\r\n`;
export const csvRow = (schema: TableSchema, row: Readonly<Record<string, unknown>>): string =>
  `${schema.fields.map((f) => cell(row[f.name])).join(',')}\r\n`;

/** The canonical CSV of a table: a header of field names, rows in order, CRLF line ends, UTF-8 without BOM. */
export function* csvLines(schema: TableSchema, rows: Iterable<Readonly<Record<string, unknown>>>): Generator<string> {
  yield csvHeader(schema);
  for (const row of rows) yield csvRow(schema, row);
}

export function sha256OfCsv(schema: TableSchema, rows: Iterable<Readonly<Record<string, unknown>>>): string {
  const hash = createHash('sha256');
  for (const line of csvLines(schema, rows)) hash.update(line, 'utf8');
  return hash.digest('hex');
}
