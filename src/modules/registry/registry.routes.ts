// registry HTTP. Public zone: the catalog (metadata of public registers). Internal zone: registers and records.
import { Type } from 'typebox';
import type { App } from '../../platform/http.ts';
import { requireStaff } from '../org/index.ts';
import * as records from './records.service.ts';
import {
  AsOfQuery,
  CatalogQuery,
  CodeParams,
  CreateRecord,
  CreateRegister,
  DeleteRecord,
  RecordPage,
  RecordParams,
  RecordQuery,
  RecordVersion,
  RecordView,
  Register,
  UpdateRecord,
  UpdateRegister,
} from './registry.schemas.ts';
import * as service from './registry.service.ts';

const err = { $ref: 'ErrorResponse#' } as const;
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

export async function registryInternalRoutes(app: App, opts: { deps: service.RegistryDeps }): Promise<void> {
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
        response: { 200: Type.Array(Type.Unknown()), ...errors },
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
