// opendata HTTP: the workbench publishes, versions and withdraws datasets (internal zone); anyone downloads a version
// (public zone). CKAN's Action API is ckan.routes.ts.
import { Buffer } from 'node:buffer';
import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../platform/errors.ts';
import type { App } from '../../platform/http.ts';
import { requireAccount } from '../auth/index.ts';
import { requireStaff } from '../org/index.ts';
import * as accessService from './access.service.ts';
import { type AccessDeps, checkKey, countUse } from './access.service.ts';
import { MEDIA_TYPES } from './ckan.ts';
import type { TableSchema } from './dictionary.ts';
import { bytesOf, encoding, type FileFormat, parseRange } from './downloads.ts';
import {
  DatasetSummary,
  NameParams,
  PublishDataset,
  PublishUpload,
  ReleaseVersion,
  UploadView,
  Withdraw,
} from './opendata.schemas.ts';
import * as service from './opendata.service.ts';
import type { VersionRow } from './opendata.store.ts';
import * as uploadsService from './uploads.service.ts';
import * as usageService from './usage.service.ts';

const err = { $ref: 'ErrorResponse#' } as const;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const MAX_UPLOAD_BYTES = 50 * 2 ** 20;
const errors = { 400: err, 401: err, 403: err, 404: err, 409: err } as const;

function summary(v: service.DatasetView) {
  const d = v.dataset;
  return {
    id: d.uuid,
    name: d.name,
    title: d.title,
    departmentId: d.department_id,
    access: d.access,
    source: d.register_id === null ? ('upload' as const) : ('register' as const),
    state: d.state,
    theme: d.theme,
    licenseId: d.license_id,
    version: d.version,
    modifiedAt: d.modified_at.toISOString(),
    versions: v.versions.map((x) => ({
      version: x.version,
      rowCount: x.row_count,
      sha256: x.sha256,
      note: x.note,
      receiptId: x.receipt_id,
      createdAt: x.created_at.toISOString(),
      fields: (x.schema as TableSchema).fields.map((f) => ({
        name: f.name,
        title: f.title,
        type: f.type,
        ...(f.unit ? { unit: f.unit } : {}),
        ...(f.description ? { description: f.description } : {}),
      })),
    })),
  };
}

export async function opendataInternalRoutes(app: App, opts: { deps: service.OpendataDeps }): Promise<void> {
  const { deps } = opts;
  const tags = ['opendata'];
  app.get(
    '/opendata/datasets',
    {
      schema: {
        tags,
        summary: "Open datasets of the departments I read, withdrawn ones too, with their versions' hashes",
        response: { 200: Type.Array(DatasetSummary), ...errors },
      },
    },
    async (req) => (await service.listForStaff(deps, requireStaff(req))).map(summary),
  );
  app.post(
    '/opendata/datasets',
    {
      schema: {
        tags,
        summary: "Open a register's open fields as a dataset, with its first version (graded or personal fields never)",
        body: PublishDataset,
        response: { 201: DatasetSummary, ...errors },
      },
    },
    async (req, reply) =>
      reply.status(201).send(summary(await service.publishFromRegister(deps, requireStaff(req), req.body))),
  );
  app.post(
    '/opendata/datasets/:name/versions',
    {
      schema: {
        tags,
        summary: "Release the register's current records as the next immutable version",
        params: NameParams,
        body: ReleaseVersion,
        response: { 201: DatasetSummary, ...errors },
      },
    },
    async (req, reply) => {
      const actor = requireStaff(req);
      const { upload } = req.body;
      const released = upload
        ? await uploadsService.releaseFromUpload(deps, actor, req.params.name, { ...req.body, upload })
        : await service.releaseVersion(deps, actor, req.params.name, req.body.note ?? null);
      return reply.status(201).send(summary(released));
    },
  );
  app.post(
    '/opendata/datasets/from-upload',
    {
      schema: {
        tags,
        summary: 'Publish a staged upload as a dataset with its first version, by the dictionary confirmed',
        body: PublishUpload,
        response: { 201: DatasetSummary, ...errors },
      },
    },
    async (req, reply) =>
      reply.status(201).send(summary(await uploadsService.publishFromUpload(deps, requireStaff(req), req.body))),
  );
  app.get(
    '/opendata/uploads/:id',
    {
      schema: {
        tags,
        summary: 'A staged upload: its inferred dictionary and first rows (its department’s publishers only)',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
        response: { 200: UploadView, ...errors },
      },
    },
    async (req) => uploadsService.getUpload(deps, requireStaff(req), req.params.id),
  );
  // The file is the body, read whole (at most MAX_UPLOAD_BYTES), whatever its type says: a JSON upload is data, not
  // a request to parse, so this route has its own parsers.
  await app.register(async (instance) => {
    const files = instance as unknown as App;
    files.removeContentTypeParser('application/json');
    files.addContentTypeParser(
      ['application/json', 'text/csv', XLSX_TYPE, 'application/octet-stream'],
      { parseAs: 'buffer', bodyLimit: MAX_UPLOAD_BYTES },
      (_req, body, done) => done(null, body),
    );
    files.post(
      '/opendata/uploads',
      {
        schema: {
          tags,
          summary: 'Stage a file (CSV, XLSX or JSON, the body) to publish: its dictionary is inferred for review',
          querystring: Type.Object(
            {
              department: Type.Integer({ minimum: 1 }),
              format: Type.Union([Type.Literal('csv'), Type.Literal('xlsx'), Type.Literal('json')]),
              encoding: Type.Optional(Type.Union([Type.Literal('utf-8'), Type.Literal('gb18030')])),
              filename: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            },
            { additionalProperties: false },
          ),
          response: { 201: UploadView, ...errors },
        },
      },
      async (req, reply) => {
        if (!Buffer.isBuffer(req.body)) {
          throw new AppError('opendata.upload_empty', 400, 'Send the file as the body (text/csv, XLSX, JSON)');
        }
        const staged = await uploadsService.stageUpload(deps, requireStaff(req), {
          departmentId: req.query.department,
          filename: req.query.filename ?? `upload.${req.query.format}`,
          format: req.query.format,
          encoding: req.query.encoding ?? 'utf-8',
          bytes: req.body,
        });
        return reply.status(201).send(staged);
      },
    );
  });
  app.post(
    '/opendata/datasets/:name/withdraw',
    {
      schema: {
        tags,
        summary: 'Withdraw a dataset: its data goes, its tombstone keeps the versions and their hashes',
        params: NameParams,
        body: Withdraw,
        response: { 200: DatasetSummary, ...errors },
      },
    },
    async (req) => summary(await service.withdrawDataset(deps, requireStaff(req), req.params.name, req.body.reason)),
  );
}

const VersionParams = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{1,99}$' }),
    version: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
  },
  { additionalProperties: false },
);

export async function opendataPublicRoutes(app: App, opts: { deps: AccessDeps }): Promise<void> {
  const { deps } = opts;
  const tags = ['opendata'];
  /** The version to download and, for a conditional dataset, the key's charge for the rows the bytes hold. */
  const load = async (req: FastifyRequest, name: string, version: number) => {
    const found = await service.findDataset(deps.db, name);
    const v = found?.versions.find((x) => x.version === version);
    if (!found || !v || found.dataset.state !== 'active') throw notFoundDataset();
    const use =
      found.dataset.access === 'conditional'
        ? await checkKey(deps, req.headers.authorization, found.dataset.id, 'download', req.ip)
        : undefined;
    const charge = async (rows: number) => {
      if (!use) return;
      if (rows > use.rowsLeft) {
        throw new AppError('opendata.over_quota', 429, "The file has more rows than the key's quota leaves for today");
      }
      await countUse(deps, use, found.dataset.id, 'download', rows, req.ip);
    };
    return { found, v, charge };
  };
  app.get(
    '/opendata/datasets/:name',
    {
      schema: {
        tags,
        summary: "A dataset with every version's dictionary, row count and SHA-256 (a withdrawn one's tombstone too)",
        params: NameParams,
        response: { 200: DatasetSummary, ...errors },
      },
    },
    async (req) => {
      const found = await service.findDataset(deps.db, req.params.name);
      if (!found) throw notFoundDataset();
      if (found.dataset.state === 'active') await usageService.countUse(deps, found.dataset.id, 'views');
      return summary(found);
    },
  );
  app.get(
    '/opendata/datasets/:name/usage',
    {
      schema: {
        tags,
        summary: "A dataset's use: views, downloads and API calls in all and over the last 30 days (counts, never who)",
        params: NameParams,
        response: {
          200: Type.Object({
            totals: Type.Object({ views: Type.Integer(), downloads: Type.Integer(), apiCalls: Type.Integer() }),
            days: Type.Array(
              Type.Object({
                day: Type.String(),
                views: Type.Integer(),
                downloads: Type.Integer(),
                apiCalls: Type.Integer(),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (req) => usageService.datasetUsage(deps, req.params.name),
  );
  app.get(
    '/opendata/datasets/:name/diff',
    {
      schema: {
        tags,
        summary: 'What changed between two versions: fields added or removed; rows added, removed, changed (by key)',
        params: NameParams,
        querystring: Type.Object(
          {
            from: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
            to: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            from: Type.Integer(),
            to: Type.Integer(),
            fieldsAdded: Type.Array(Type.String()),
            fieldsRemoved: Type.Array(Type.String()),
            added: Type.Integer(),
            removed: Type.Integer(),
            changed: Type.Integer(),
            samples: Type.Object({
              added: Type.Array(Type.String()),
              removed: Type.Array(Type.String()),
              changed: Type.Array(Type.String()),
            }),
          }),
          ...errors,
        },
      },
    },
    async (req) => service.diffVersions(deps.db, req.params.name, req.query.from, req.query.to),
  );
  app.get(
    '/opendata/datasets/:name/versions/:version/data.csv',
    {
      schema: {
        tags,
        summary: 'A version of a dataset as CSV (RFC 4180, UTF-8); its SHA-256 is the one published for the version',
        params: VersionParams,
        response: { 200: { description: 'the CSV', content: { 'text/csv': { schema: Type.String() } } }, ...errors },
      },
    },
    async (req, reply) => {
      const { found, v, charge } = await load(req, req.params.name, req.params.version);
      return sendVersion(deps, req, reply, {
        found,
        v,
        format: 'csv',
        filename: `${found.dataset.name}-v${v.version}.csv`,
        charge,
      });
    },
  );
  app.get(
    '/opendata/datasets/:name/versions/:version/data.xlsx',
    {
      schema: {
        tags,
        summary: 'A version of a dataset as an XLSX workbook (at most 1,048,575 rows)',
        params: VersionParams,
        response: {
          200: { description: 'the workbook', content: { [MEDIA_TYPES.xlsx]: { schema: Type.String() } } },
          ...errors,
        },
      },
    },
    async (req, reply) => {
      const { found, v, charge } = await load(req, req.params.name, req.params.version);
      return sendXlsx(deps, req, reply, { found, v, filename: `${found.dataset.name}-v${v.version}.xlsx`, charge });
    },
  );
  app.get(
    '/opendata/datasets/:name/versions/:version/data.json',
    {
      schema: {
        tags,
        summary: 'A version of a dataset as a JSON array of records',
        params: VersionParams,
        response: {
          200: { description: 'the records', content: { 'application/json': { schema: Type.Array(Type.Object({})) } } },
          ...errors,
        },
      },
    },
    async (req, reply) => {
      const { found, v, charge } = await load(req, req.params.name, req.params.version);
      return sendVersion(deps, req, reply, {
        found,
        v,
        format: 'json',
        filename: `${found.dataset.name}-v${v.version}.json`,
        charge,
      });
    },
  );
}

/** Excel's limit: a worksheet holds at most 1,048,576 rows, the header one of them. */
const XLSX_ROWS = 1_048_575;

/**
 * Streams a version as an XLSX workbook (one worksheet, the field names as its header, numbers and booleans as
 * such), page by page, waiting for the socket. A zip's bytes are not the same on every call, so it has no ranges
 * and no entity tag; the CSV is the version's canonical form.
 */
async function sendXlsx(
  deps: service.OpendataDeps,
  req: FastifyRequest,
  reply: FastifyReply,
  file: { found: service.DatasetView; v: VersionRow; filename: string; charge: (rows: number) => Promise<void> },
): Promise<FastifyReply> {
  const { found, v } = file;
  if (v.row_count > XLSX_ROWS) {
    throw new AppError('opendata.xlsx_too_large', 409, `A worksheet holds at most ${XLSX_ROWS} rows: use the CSV`);
  }
  if (req.method !== 'HEAD') {
    await file.charge(v.row_count);
    await usageService.countUse(deps, found.dataset.id, 'downloads');
  }
  const schema = v.schema as TableSchema;
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
  const sheet = workbook.addWorksheet(found.dataset.name.slice(0, 31));
  sheet.columns = schema.fields.map((f) => ({ header: f.name, key: f.name }));
  (async () => {
    for (let after = 0; ; ) {
      const page = await service.rowsAfter(deps.db, found.dataset.id, v.version, after, PAGE);
      for (const r of page) sheet.addRow(schema.fields.map((f) => r.data[f.name] ?? null)).commit();
      if (out.writableNeedDrain) await new Promise((resume) => out.once('drain', resume));
      if (page.length < PAGE) break;
      after = page.at(-1)?.row_no ?? after;
    }
    sheet.commit();
    await workbook.commit();
  })().catch((e: unknown) => out.destroy(e instanceof Error ? e : new Error(String(e))));
  return reply
    .type(MEDIA_TYPES.xlsx)
    .header('accept-ranges', 'none')
    .header('content-disposition', `attachment; filename="${encodeURIComponent(file.filename)}"`)
    .send(out);
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
  file: {
    found: service.DatasetView;
    v: VersionRow;
    format: FileFormat;
    filename: string;
    charge: (rows: number) => Promise<void>;
  },
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

const notFoundDataset = () => service.datasetNotFound();

// ---- conditional opening: applications and keys ----

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });
const Application = Type.Object(
  {
    id: Type.Integer(),
    dataset: Type.String(),
    datasetTitle: Type.String(),
    status: Type.String(),
    purpose: Type.String(),
    scenario: Type.String(),
    dueAt: Type.String(),
    escalatedAt: Type.Union([Type.String(), Type.Null()], {
      description: 'when the review deadline passed undecided and the application went to the platform administrators',
    }),
    decisionNote: Type.Union([Type.String(), Type.Null()]),
    callsPerDay: Type.Union([Type.Integer(), Type.Null()]),
    rowsPerDay: Type.Union([Type.Integer(), Type.Null()]),
    expiresAt: Type.Union([Type.String(), Type.Null()]),
    keyPrefix: Type.Union([Type.String(), Type.Null()]),
    callsToday: Type.Integer(),
    rowsToday: Type.Integer(),
    createdAt: Type.String(),
  },
  { $id: 'DatasetApplication' },
);
const applicationView = (r: Awaited<ReturnType<typeof accessService.myApplications>>[number]) => ({
  id: r.id,
  dataset: r.dataset_name,
  datasetTitle: r.dataset_title,
  status: r.status,
  purpose: r.purpose,
  scenario: r.scenario,
  dueAt: r.due_at.toISOString(),
  escalatedAt: r.escalated_at?.toISOString() ?? null,
  decisionNote: r.decision_note,
  callsPerDay: r.calls_per_day,
  rowsPerDay: r.rows_per_day,
  expiresAt: r.expires_at?.toISOString() ?? null,
  keyPrefix: r.key_prefix,
  callsToday: Number(r.calls_today),
  rowsToday: Number(r.rows_today),
  createdAt: r.created_at.toISOString(),
});

export async function opendataApplicantRoutes(app: App, opts: { deps: AccessDeps }): Promise<void> {
  const { deps } = opts;
  const tags = ['opendata'];
  app.post(
    '/opendata/applications',
    {
      schema: {
        tags,
        summary:
          'Apply for a conditional dataset (有条件开放) with purpose, scenario, commitments and the use agreement',
        body: Type.Object(
          {
            dataset: Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{1,99}$' }),
            purpose: Type.String({ minLength: 2, maxLength: 500, pattern: '\\S' }),
            scenario: Type.String({ minLength: 2, maxLength: 2000, pattern: '\\S' }),
            commitments: Type.Boolean({ description: 'the data-security commitments (安全承诺书) accepted' }),
            agreement: Type.Boolean({ description: 'the use agreement (开放利用协议) accepted' }),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ id: Type.Integer(), dueAt: Type.String() }), ...errors },
      },
    },
    async (req, reply) => {
      const row = await accessService.apply(deps, requireAccount(req), req.body);
      return reply.status(201).send({ id: row.id, dueAt: row.due_at.toISOString() });
    },
  );
  app.get(
    '/opendata/applications',
    {
      schema: {
        tags,
        summary: 'My applications for conditional datasets, with their keys, quotas and use today',
        response: { 200: Type.Array(Application), ...errors },
      },
    },
    async (req) => (await accessService.myApplications(deps, requireAccount(req))).map(applicationView),
  );
  app.post(
    '/opendata/applications/:id/key',
    {
      schema: {
        tags,
        summary: "Issue the approved application's API key (shown once; an earlier key stops working)",
        params: IdParams,
        response: { 201: Type.Object({ key: Type.String() }), ...errors },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await accessService.issueKey(deps, requireAccount(req), req.params.id)),
  );
  app.get(
    '/opendata/applications/:id/log',
    {
      schema: {
        tags,
        summary: "Every call made with the application's key, allowed or refused",
        params: IdParams,
        response: {
          200: Type.Array(
            Type.Object({
              action: Type.String(),
              decision: Type.String(),
              reason: Type.Union([Type.String(), Type.Null()]),
              rows: Type.Union([Type.Integer(), Type.Null()]),
              at: Type.String(),
            }),
          ),
          ...errors,
        },
      },
    },
    async (req) =>
      (await accessService.accessLogOf(deps, requireAccount(req), req.params.id)).map((r) => ({
        action: r.action,
        decision: r.decision,
        reason: r.reason,
        rows: r.rows,
        at: r.at.toISOString(),
      })),
  );
}

export async function opendataReviewRoutes(app: App, opts: { deps: AccessDeps }): Promise<void> {
  const { deps } = opts;
  const tags = ['opendata'];
  app.get(
    '/opendata/applications',
    {
      schema: {
        tags,
        summary: 'Applications for the conditional datasets my departments publish',
        querystring: Type.Object(
          {
            status: Type.Optional(
              Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected')]),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(Application), ...errors },
      },
    },
    async (req) =>
      (await accessService.applicationsToReview(deps, requireStaff(req), req.query.status)).map(applicationView),
  );
  app.post(
    '/opendata/applications/:id/decide',
    {
      schema: {
        tags,
        summary: 'Approve (with a quota of calls and rows a day and a validity) or reject (with the reason)',
        params: IdParams,
        body: Type.Object(
          {
            approve: Type.Boolean(),
            note: Type.Optional(Type.String({ maxLength: 1000 })),
            callsPerDay: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
            rowsPerDay: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000_000 })),
            validDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 1830 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ id: Type.Integer(), status: Type.String() }), ...errors },
      },
    },
    async (req) => {
      const row = await accessService.decide(deps, requireStaff(req), req.params.id, req.body);
      return { id: row.id, status: row.status };
    },
  );
  app.post(
    '/opendata/applications/:id/revoke',
    {
      schema: {
        tags,
        summary: "Revoke the application's key; its calls are refused at once",
        params: IdParams,
        body: Type.Object({ reason: Type.String({ minLength: 2, maxLength: 1000 }) }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (req, reply) => {
      await accessService.revoke(deps, requireStaff(req), req.params.id, req.body.reason);
      return reply.status(204).send(null);
    },
  );
}
