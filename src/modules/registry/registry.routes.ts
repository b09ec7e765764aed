// registry HTTP. Public zone: the catalog (metadata of public registers). Internal zone: registers and records.

import { Transform } from 'node:stream';
import { Type } from 'typebox';
import { AppError } from '../../platform/errors.ts';
import type { App } from '../../platform/http.ts';
import { requireStaff } from '../org/index.ts';
import { EXPORT_TYPES, type ExportFormat, exportRecords } from './export.service.ts';
import { importRecords } from './import.service.ts';
import * as objections from './objections.service.ts';
import { registerQuality } from './quality.service.ts';
import * as records from './records.service.ts';
import {
  AsOfQuery,
  CatalogQuery,
  CodeParams,
  CreateRecord,
  CreateRegister,
  DeleteRecord,
  ExportFile,
  ImportReport,
  QualityReport,
  RecordPage,
  RecordParams,
  RecordQuery,
  RecordVersion,
  RecordView,
  Register,
  RegisterVersion,
  UpdateRecord,
  UpdateRegister,
} from './registry.schemas.ts';
import * as service from './registry.service.ts';

const err = { $ref: 'ErrorResponse#' } as const;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const MAX_IMPORT_BYTES = 1024 ** 3;

/** Passes an upload through, failing with 413 past `limit` bytes (a streamed body is not held to Fastify's limit). */
function capped(limit: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (seen > limit) done(new AppError('request.too_large', 413, `An import may be at most ${limit} bytes`));
      else done(null, chunk);
    },
  });
}

const ImportQuery = Type.Object(
  {
    keyField: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_]{0,62}$' })),
    skipInvalid: Type.Optional(Type.Boolean()),
    mapping: Type.Optional(
      Type.String({ maxLength: 4000, description: 'JSON object: column header → field code, or "" to ignore' }),
    ),
  },
  { additionalProperties: false },
);
const errors = { 400: err, 401: err, 403: err, 404: err, 409: err } as const;

export async function catalogPublicRoutes(app: App, opts: { deps: service.RegistryDeps }): Promise<void> {
  const { deps } = opts;
  const tags = ['catalog'];
  app.get(
    '/catalog/registers',
    {
      schema: {
        tags,
        summary: 'The data resource catalog (public registers, metadata only)',
        querystring: CatalogQuery,
        response: { 200: Type.Array(Register), 400: err },
      },
    },
    (req) => service.listCatalog(deps, req.query, { publicOnly: true }),
  );
  app.get(
    '/catalog/registers/:code',
    {
      schema: {
        tags,
        summary: "One register's catalog metadata",
        params: CodeParams,
        response: { 200: Register, 400: err, 404: err },
      },
    },
    (req) => service.getCatalogEntry(deps, req.params.code, { publicOnly: true }),
  );
}

export async function registryInternalRoutes(
  app: App,
  opts: { deps: service.RegistryDeps & objections.ObjectionDeps },
): Promise<void> {
  const { deps } = opts;
  const tags = ['registry'];
  app.addHook('preHandler', async (req) => {
    requireStaff(req);
  });
  app.get(
    '/catalog/registers',
    {
      schema: {
        tags,
        summary: 'The whole catalog, internal registers included',
        querystring: CatalogQuery,
        response: { 200: Type.Array(Register), ...errors },
      },
    },
    (req) => service.listCatalog(deps, req.query, { publicOnly: false }),
  );
  app.get(
    '/catalog/registers/:code',
    { schema: { tags, summary: "A register's metadata", params: CodeParams, response: { 200: Register, ...errors } } },
    (req) => service.getCatalogEntry(deps, req.params.code, { publicOnly: false }),
  );
  app.post(
    '/registry/registers',
    {
      schema: {
        tags,
        summary: 'Register a data resource (its code is assigned)',
        body: CreateRegister,
        response: { 201: Register, ...errors },
      },
    },
    async (req, reply) => reply.status(201).send(await service.createRegister(deps, requireStaff(req), req.body)),
  );
  app.patch(
    '/registry/registers/:code',
    {
      schema: {
        tags,
        summary: 'Change catalog metadata or fields (a new version)',
        params: CodeParams,
        body: UpdateRegister,
        response: { 200: Register, ...errors },
      },
    },
    (req) => service.updateRegister(deps, requireStaff(req), req.params.code, req.body),
  );
  app.get(
    '/registry/registers/:code/versions',
    {
      schema: {
        tags,
        summary: 'Every version of the metadata',
        params: CodeParams,
        response: { 200: Type.Array(RegisterVersion), ...errors },
      },
    },
    (req) => service.listRegisterVersions(deps, req.params.code),
  );
  app.get(
    '/registry/registers/:code/records',
    {
      schema: {
        tags,
        summary: 'A keyset page of records, optionally filtered by one field',
        params: CodeParams,
        querystring: RecordQuery,
        response: { 200: RecordPage, ...errors },
      },
    },
    (req) => records.listRecords(deps, requireStaff(req), req.params.code, req.query),
  );
  app.post(
    '/registry/registers/:code/records',
    {
      schema: {
        tags,
        summary: 'Add a record',
        params: CodeParams,
        body: CreateRecord,
        response: { 201: RecordView, ...errors },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await records.createRecord(deps, requireStaff(req), req.params.code, req.body.data)),
  );
  app.get(
    '/registry/registers/:code/records/:id',
    {
      schema: {
        tags,
        summary: 'A record, now or as of a time',
        params: RecordParams,
        querystring: AsOfQuery,
        response: { 200: RecordView, ...errors },
      },
    },
    (req) =>
      records.getRecord(
        deps,
        requireStaff(req),
        req.params.code,
        req.params.id,
        req.query.asOf ? new Date(req.query.asOf) : undefined,
      ),
  );
  app.put(
    '/registry/registers/:code/records/:id',
    {
      schema: {
        tags,
        summary: 'Replace a record (optimistic: expectedVersion)',
        params: RecordParams,
        body: UpdateRecord,
        response: { 200: RecordView, ...errors },
      },
    },
    (req) =>
      records.updateRecord(
        deps,
        requireStaff(req),
        req.params.code,
        req.params.id,
        req.body.expectedVersion,
        req.body.data,
      ),
  );
  app.delete(
    '/registry/registers/:code/records/:id',
    {
      schema: {
        tags,
        summary: 'Delete a record (soft, with a reason)',
        params: RecordParams,
        body: DeleteRecord,
        response: { 200: RecordView, ...errors },
      },
    },
    (req) =>
      records.deleteRecord(
        deps,
        requireStaff(req),
        req.params.code,
        req.params.id,
        req.body.expectedVersion,
        req.body.reason,
      ),
  );
  // Uploads stream straight into the importer: CSV as text/csv, XLSX as its own media type.
  app.addContentTypeParser(['text/csv', XLSX_TYPE], (_req, payload, done) => done(null, payload));
  app.post(
    '/registry/registers/:code/import',
    {
      schema: {
        tags,
        summary: 'Import a CSV (text/csv) or XLSX file; all-or-nothing unless skipInvalid; upsert by keyField',
        params: CodeParams,
        querystring: ImportQuery,
        response: { 200: ImportReport, ...errors, 413: err, 415: err },
      },
    },
    async (req) => {
      const type = String(req.headers['content-type'] ?? '')
        .split(';')[0]
        ?.trim();
      let mapping: Record<string, string> | undefined;
      if (req.query.mapping) {
        try {
          mapping = JSON.parse(req.query.mapping) as Record<string, string>;
        } catch {
          throw new AppError('validation.failed', 400, 'mapping is not a JSON object', { field: '/mapping' });
        }
      }
      // Only the two file parsers above hand over a stream; anything else (JSON, text/plain, no body) is refused.
      const body = req.body as import('node:stream').Readable | undefined;
      if (!(type === 'text/csv' || type === XLSX_TYPE) || typeof body?.pipe !== 'function') {
        throw new AppError(
          'import.unsupported_media_type',
          415,
          'Send the file as the body, as text/csv or as an XLSX workbook',
        );
      }
      return importRecords(deps, requireStaff(req), req.params.code, body.pipe(capped(MAX_IMPORT_BYTES)), {
        format: type === XLSX_TYPE ? 'xlsx' : 'csv',
        ...(req.query.keyField ? { keyField: req.query.keyField } : {}),
        ...(req.query.skipInvalid ? { skipInvalid: true } : {}),
        ...(mapping ? { mapping } : {}),
      });
    },
  );
  app.get(
    '/registry/registers/:code/export',
    {
      schema: {
        tags,
        summary: 'Export the current records as CSV, XLSX or JSON (streamed; headers are the data item names)',
        params: CodeParams,
        querystring: Type.Object(
          { format: Type.Optional(Type.Enum(['csv', 'xlsx', 'json'])) },
          { additionalProperties: false },
        ),
        produces: Object.values(EXPORT_TYPES),
        response: { 200: ExportFile, ...errors },
      },
    },
    async (req, reply) => {
      const format = (req.query.format ?? 'csv') as ExportFormat;
      const stream = await exportRecords(deps, requireStaff(req), req.params.code, format);
      reply.header('content-disposition', `attachment; filename="${req.params.code}.${format}"`);
      return reply.type(EXPORT_TYPES[format]).send(stream);
    },
  );
  const Objection = Type.Object({
    id: Type.Integer(),
    register: Type.String(),
    recordId: Type.Integer(),
    reason: Type.String(),
    status: Type.String(),
    raisedByDepartment: Type.Integer(),
    dueAt: Type.String({ format: 'date-time' }),
    overdue: Type.Boolean(),
    answer: Type.Union([Type.String(), Type.Null()]),
    answeredAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  });
  app.post(
    '/registry/registers/:code/records/:id/objections',
    {
      schema: {
        tags,
        summary: 'Object to a record (数据异议); the provider answers within the configured working days',
        params: RecordParams,
        body: Type.Object({ reason: Type.String({ minLength: 2, maxLength: 2000 }) }, { additionalProperties: false }),
        response: { 201: Objection, ...errors },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(
          await objections.raiseObjection(deps, requireStaff(req), req.params.code, req.params.id, req.body.reason),
        ),
  );
  app.get(
    '/registry/objections',
    {
      schema: {
        tags,
        summary: 'Objections about your registers or raised by your department (all for platform admins and auditors)',
        querystring: Type.Object(
          {
            status: Type.Optional(Type.Enum(['open', 'answered', 'corrected'])),
            overdue: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(Objection), ...errors },
      },
    },
    (req) => objections.listObjections(deps, requireStaff(req), req.query),
  );
  app.post(
    '/registry/objections/:id/answer',
    {
      schema: {
        tags,
        summary: "The provider's data officer answers: corrected, or the data stands with an explanation",
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
        body: Type.Object(
          { resolution: Type.Enum(['answered', 'corrected']), answer: Type.String({ minLength: 2, maxLength: 2000 }) },
          { additionalProperties: false },
        ),
        response: { 200: Objection, ...errors },
      },
    },
    (req) =>
      objections.answerObjection(
        deps,
        requireStaff(req),
        req.params.id,
        req.body as { resolution: 'answered' | 'corrected'; answer: string },
      ),
  );
  app.get(
    '/registry/registers/:code/quality',
    {
      schema: {
        tags,
        summary: "A register's data quality: completeness, validity, objections (recomputed after changes)",
        params: CodeParams,
        response: { 200: QualityReport, ...errors },
      },
    },
    (req) => registerQuality(deps, requireStaff(req), req.params.code),
  );
  app.get(
    '/registry/registers/:code/records/:id/history',
    {
      schema: {
        tags,
        summary: 'Every version of a record',
        params: RecordParams,
        response: { 200: Type.Array(RecordVersion), ...errors },
      },
    },
    (req) => records.recordHistory(deps, requireStaff(req), req.params.code, req.params.id),
  );
}
