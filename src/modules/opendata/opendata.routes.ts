// opendata HTTP: the workbench publishes, versions and withdraws datasets (internal zone); anyone downloads a version
// (public zone). CKAN's Action API is ckan.routes.ts.
import { Buffer } from 'node:buffer';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../platform/errors.ts';
import type { App } from '../../platform/http.ts';
import { requireStaff } from '../org/index.ts';
import { type AccessDeps, checkKey, countUse } from './access.service.ts';
import { MEDIA_TYPES } from './ckan.ts';
import type { TableSchema } from './dictionary.ts';
import { PARQUET_TYPE, sendGenerated, sendVersion } from './downloads.routes.ts';
import {
  DatasetSummary,
  EditDataset,
  NameParams,
  PublishDataset,
  PublishUpload,
  ReleaseVersion,
  UploadView,
  Withdraw,
} from './opendata.schemas.ts';
import * as service from './opendata.service.ts';
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
    notes: d.notes,
    tags: d.tags,
    spatial: d.spatial,
    temporalStart: d.temporal_start,
    temporalEnd: d.temporal_end,
    contact: d.contact,
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
    async (req) =>
      (await service.listForStaff(deps, requireStaff(req))).map((d) => ({ ...summary(d), usage: d.usage })),
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
  app.patch(
    '/opendata/datasets/:name',
    {
      schema: {
        tags,
        summary: "Edit a dataset's description (title, notes, theme, tags, licence, coverage, contact); versions stay",
        params: NameParams,
        body: EditDataset,
        response: { 200: DatasetSummary, ...errors },
      },
    },
    async (req) => summary(await service.editDataset(deps, requireStaff(req), req.params.name, req.body)),
  );
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
    '/opendata/datasets/:name/versions/:version/schema.json',
    {
      schema: {
        tags,
        summary: "A version's data dictionary as a Frictionless Table Schema (public, a conditional dataset's too)",
        params: VersionParams,
        response: { 200: Type.Object({}, { additionalProperties: true }), ...errors },
      },
    },
    async (req, reply) => {
      const found = await service.findDataset(deps.db, req.params.name);
      const v = found?.versions.find((x) => x.version === req.params.version);
      if (!found || !v) throw notFoundDataset();
      return reply.type('application/schema+json; charset=utf-8').send(JSON.stringify(v.schema));
    },
  );
  for (const [format, what, media] of [
    ['xlsx', 'an XLSX workbook (at most 1,048,575 rows)', MEDIA_TYPES.xlsx],
    ['parquet', 'a Parquet file (integers INT64, numbers DOUBLE, dates as ISO text)', PARQUET_TYPE],
  ] as const) {
    app.get(
      `/opendata/datasets/:name/versions/:version/data.${format}`,
      {
        schema: {
          tags,
          summary: `A version of a dataset as ${what}`,
          params: VersionParams,
          response: { 200: { description: 'the file', content: { [media]: { schema: Type.String() } } }, ...errors },
        },
      },
      async (req, reply) => {
        const { found, v, charge } = await load(req, req.params.name, req.params.version);
        const filename = `${found.dataset.name}-v${v.version}.${format}`;
        return sendGenerated(deps, req, reply, { found, v, format, filename, charge });
      },
    );
  }
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

const notFoundDataset = () => service.datasetNotFound();
