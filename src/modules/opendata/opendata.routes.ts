// opendata HTTP: the workbench publishes, versions and withdraws datasets (internal zone); anyone downloads a version
// (public zone). CKAN's Action API is ckan.routes.ts.
import { Readable } from 'node:stream';
import { Type } from 'typebox';
import type { App } from '../../platform/http.ts';
import { requireStaff } from '../org/index.ts';
import { sendCsv } from './ckan.routes.ts';
import type { TableSchema } from './dictionary.ts';
import { DatasetSummary, NameParams, PublishDataset, ReleaseVersion, Withdraw } from './opendata.schemas.ts';
import * as service from './opendata.service.ts';

const err = { $ref: 'ErrorResponse#' } as const;
const errors = { 400: err, 401: err, 403: err, 404: err, 409: err } as const;

function summary(v: service.DatasetView) {
  const d = v.dataset;
  return {
    id: d.uuid,
    name: d.name,
    title: d.title,
    departmentId: d.department_id,
    access: d.access,
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
      fields: (x.schema as TableSchema).fields.map((f) => ({ name: f.name, title: f.title, type: f.type })),
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
    async (req, reply) =>
      reply
        .status(201)
        .send(summary(await service.releaseVersion(deps, requireStaff(req), req.params.name, req.body.note ?? null))),
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

export async function opendataPublicRoutes(app: App, opts: { deps: service.OpendataDeps }): Promise<void> {
  const { deps } = opts;
  const tags = ['opendata'];
  const load = async (name: string, version: number) => {
    const found = await service.findDataset(deps.db, name);
    const v = found?.versions.find((x) => x.version === version);
    if (!found || !v) throw notFoundDataset();
    service.assertDataReadable(found);
    return { found, v };
  };
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
      const { found, v } = await load(req.params.name, req.params.version);
      await sendCsv(deps, reply, found, v.version, v.schema as TableSchema, `${found.dataset.name}-v${v.version}.csv`);
      return reply;
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
      const { found, v } = await load(req.params.name, req.params.version);
      const names = (v.schema as TableSchema).fields.map((f) => f.name);
      // In the dictionary's order (jsonb keeps its own).
      const record = (data: Record<string, unknown>) =>
        JSON.stringify(Object.fromEntries(names.map((n) => [n, data[n] ?? null])));
      async function* chunks() {
        yield '[';
        let first = true;
        for (let after = 0; ; ) {
          const page = await service.rowsAfter(deps.db, found.dataset.id, v.version, after, 2000);
          for (const p of page) {
            yield `${first ? '' : ','}${record(p.data)}`;
            first = false;
          }
          if (page.length < 2000) break;
          after = page.at(-1)?.row_no ?? after;
        }
        yield ']';
      }
      return reply.type('application/json; charset=utf-8').send(Readable.from(chunks()));
    },
  );
}

const notFoundDataset = () => service.datasetNotFound();
