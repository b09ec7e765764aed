// Downloads of a version over HTTP: the byte-stable files (CSV, JSON) with ranges, and the generated ones (XLSX,
// Parquet) streamed whole. Each download counts as one use of the dataset and is charged to a conditional dataset's
// key; a HEAD request is neither.
import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors.ts';
import { MEDIA_TYPES } from './ckan.ts';
import type { TableSchema } from './dictionary.ts';
import { bytesOf, encoding, type FileFormat, parseRange } from './downloads.ts';
import { type Pages, parquetStream, XLSX_ROWS, xlsxStream } from './formats.ts';
import * as service from './opendata.service.ts';
import type { VersionRow } from './opendata.store.ts';
import * as usageService from './usage.service.ts';

export interface VersionFile {
  readonly found: service.DatasetView;
  readonly v: VersionRow;
  readonly filename: string;
  readonly charge: (rows: number) => Promise<void>;
}

const MEDIA: Record<FileFormat, string> = { csv: 'text/csv; charset=utf-8', json: 'application/json; charset=utf-8' };
const PAGE = 250;

/**
 * Streams a version's file page by page (memory stays flat however large it is), whole or the one byte range asked
 * for (206, or 416 outside the file; `If-Range` with another entity tag gets it whole). The ETag is the version's
 * content hash. A conditional dataset's key is charged the rows the bytes sent hold (a resumed download is not
 * charged twice); a HEAD request is charged nothing.
 */
export async function sendVersion(
  deps: service.OpendataDeps,
  req: FastifyRequest,
  reply: FastifyReply,
  file: VersionFile & { readonly format: FileFormat },
): Promise<FastifyReply> {
  const { found, v, format } = file;
  const size = format === 'csv' ? v.csv_bytes : v.json_bytes;
  const etag = `"${v.sha256}${format === 'csv' ? '' : `-${format}`}"`;
  const ifRange = req.headers['if-range'];
  const range =
    size === null || (ifRange !== undefined && ifRange !== etag) ? undefined : parseRange(req.headers.range, size);
  if (range === 'unsatisfiable') {
    reply.header('content-range', `bytes */${size}`);
    throw new AppError('opendata.range', 416, `The range is outside the file of ${size} bytes`);
  }
  const part = range ?? (size === null ? undefined : { start: 0, end: size - 1 });
  // One download, however many ranges it takes: counted at its first byte.
  if (req.method !== 'HEAD' && (part?.start ?? 0) === 0)
    await usageService.countUse(deps, found.dataset.id, 'downloads');
  if (req.method !== 'HEAD') {
    await file.charge(part && size ? Math.ceil((v.row_count * (part.end - part.start + 1)) / size) : v.row_count);
  }
  const from =
    part && part.start > 0
      ? ((await service.blockAt(deps.db, found.dataset.id, v.version, format, part.start)) ?? { rowNo: 1, offset: 0 })
      : { rowNo: 1, offset: 0 };
  reply
    .type(MEDIA[format])
    .header('accept-ranges', size === null ? 'none' : 'bytes')
    .header('etag', etag)
    .header('content-disposition', `attachment; filename="${encodeURIComponent(file.filename)}"`);
  if (part) reply.header('content-length', part.end - part.start + 1);
  if (range) reply.status(206).header('content-range', `bytes ${range.start}-${range.end}/${size}`);
  const bytes = bytesOf(
    encoding(format, v.schema as TableSchema),
    from,
    part ?? { start: 0, end: Number.MAX_SAFE_INTEGER },
    (after) => service.rowsAfter(deps.db, found.dataset.id, v.version, after, PAGE),
    PAGE,
  );
  // A page or two ahead of the socket, not the default 16 (each page is up to a megabyte).
  return reply.send(Readable.from(bytes, { highWaterMark: 2 }));
}

/** A version's rows page by page, in order. */
async function* pagesOf(deps: service.OpendataDeps, file: VersionFile): Pages {
  for (let after = 0; ; ) {
    const page = await service.rowsAfter(deps.db, file.found.dataset.id, file.v.version, after, PAGE);
    yield page.map((r) => r.data);
    if (page.length < PAGE) return;
    after = page.at(-1)?.row_no ?? after;
  }
}

export const PARQUET_TYPE = MEDIA_TYPES.parquet;

/**
 * Streams a version as an XLSX workbook (at most Excel's rows) or a Parquet file. A zip's or a Parquet file's bytes
 * need not be the same on every call, so neither has ranges or an entity tag; the CSV is the canonical form.
 */
export async function sendGenerated(
  deps: service.OpendataDeps,
  req: FastifyRequest,
  reply: FastifyReply,
  file: VersionFile & { readonly format: 'xlsx' | 'parquet' },
): Promise<FastifyReply> {
  const { found, v } = file;
  if (file.format === 'xlsx' && v.row_count > XLSX_ROWS) {
    throw new AppError('opendata.xlsx_too_large', 409, `A worksheet holds at most ${XLSX_ROWS} rows: use the CSV`);
  }
  if (req.method !== 'HEAD') {
    await file.charge(v.row_count);
    await usageService.countUse(deps, found.dataset.id, 'downloads');
  }
  const schema = v.schema as TableSchema;
  const body =
    file.format === 'xlsx'
      ? xlsxStream(schema, found.dataset.name, pagesOf(deps, file))
      : parquetStream(schema, pagesOf(deps, file));
  return reply
    .type(file.format === 'xlsx' ? MEDIA_TYPES.xlsx : PARQUET_TYPE)
    .header('accept-ranges', 'none')
    .header('content-disposition', `attachment; filename="${encodeURIComponent(file.filename)}"`)
    .send(body);
}
