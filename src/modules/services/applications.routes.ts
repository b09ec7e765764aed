// applications HTTP. Public zone: an applicant's drafts, uploads, submissions, corrections and timeline. Internal
// zone: the caseworker's inbox and actions.
import { Type } from 'typebox';
import type { App } from '../../platform/http.ts';
import { requireAccount } from '../auth/index.ts';
import { requireStaff } from '../org/index.ts';
import * as service from './applications.service.ts';
import * as casework from './casework.service.ts';

const err = { $ref: 'ErrorResponse#' } as const;
const errors = { 400: err, 401: err, 403: err, 404: err, 409: err } as const;
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });
const NumberParams = Type.Object({ number: Type.String({ pattern: '^[0-9]{22}$' }) }, { additionalProperties: false });
const ApplicationView = Type.Record(Type.String(), Type.Unknown(), { description: 'an application with its state' });

export async function applicationsPublicRoutes(app: App, opts: { deps: service.ApplicationsDeps }): Promise<void> {
  const { deps } = opts;
  const tags = ['applications'];
  // Files arrive as their own type; a parser per accepted type, capped a little above the limit so that the
  // service answers with its own clear 413 for files just over it.
  app.addContentTypeParser(
    [...deps.uploadTypes],
    { parseAs: 'buffer', bodyLimit: deps.uploadLimitBytes + 64 * 1024 },
    (_req, body, done) => done(null, body),
  );
  app.post(
    '/uploads',
    {
      schema: {
        tags,
        summary: 'Upload a material (PDF, PNG or JPEG by default); stored by SHA-256',
        response: {
          201: Type.Object({ sha256: Type.String(), size: Type.Integer(), contentType: Type.String() }),
          ...errors,
          413: err,
          415: err,
        },
      },
    },
    async (req, reply) => {
      requireAccount(req);
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      return reply.status(201).send(await service.upload(deps, String(req.headers['content-type'] ?? ''), body));
    },
  );
  app.get(
    '/applications',
    { schema: { tags, summary: 'My applications', response: { 200: Type.Array(ApplicationView), 401: err } } },
    (req) => service.listMine(deps, requireAccount(req)),
  );
  app.post(
    '/applications',
    {
      schema: {
        tags,
        summary: 'Start an application (a draft); the same idempotency key returns the same draft',
        body: Type.Object(
          {
            item: Type.String({ pattern: '^[0-9A-Z][0-9A-Z-]{5,39}$' }),
            idempotencyKey: Type.String({ minLength: 8, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }),
          },
          { additionalProperties: false },
        ),
        response: { 200: ApplicationView, ...errors },
      },
    },
    (req) => service.createDraft(deps, requireAccount(req), req.body),
  );
  app.get(
    '/applications/:id',
    {
      schema: {
        tags,
        summary: 'One of my applications with its timeline',
        params: IdParams,
        response: { 200: ApplicationView, ...errors },
      },
    },
    (req) => service.getMine(deps, requireAccount(req), req.params.id),
  );
  app.get(
    '/applications/:id/licence',
    {
      schema: {
        tags,
        summary: 'The electronic licence issued on conclusion, as a downloadable document with its ledger receipt',
        params: IdParams,
        response: { 200: ApplicationView, ...errors },
      },
    },
    async (req, reply) => {
      const doc = await service.licenceDocument(deps, requireAccount(req), req.params.id);
      return reply.header('content-disposition', `attachment; filename="licence-${doc.licenseNo}.json"`).send(doc);
    },
  );
  app.put(
    '/applications/:id/draft',
    {
      schema: {
        tags,
        summary: 'Autosave the form and the chosen uploads (draft or under correction)',
        params: IdParams,
        body: Type.Object(
          {
            expectedVersion: Type.Integer({ minimum: 1 }),
            formData: Type.Record(Type.String(), Type.Unknown()),
            uploads: Type.Optional(Type.Record(Type.String(), Type.String({ pattern: '^[0-9a-f]{64}$' }))),
          },
          { additionalProperties: false },
        ),
        response: { 200: ApplicationView, ...errors },
      },
    },
    (req) => service.saveDraft(deps, requireAccount(req), req.params.id, req.body),
  );
  for (const [path, fn, summary] of [
    ['submit', service.submit, 'Submit (idempotent: a second submit returns the first)'],
    ['resubmit', service.resubmit, 'Send the corrected application back'],
    ['withdraw', service.withdraw, 'Withdraw before a decision'],
  ] as const) {
    app.post(
      `/applications/:id/${path}`,
      { schema: { tags, summary, params: IdParams, response: { 200: ApplicationView, ...errors } } },
      (req) => fn(deps, requireAccount(req), req.params.id),
    );
  }
}

export async function applicationsInternalRoutes(app: App, opts: { deps: service.ApplicationsDeps }): Promise<void> {
  const { deps } = opts;
  const tags = ['casework'];
  app.get(
    '/casework/inbox',
    {
      schema: {
        tags,
        summary: 'Applications waiting for my departments, soonest due first, with deadline lights',
        querystring: Type.Object(
          {
            step: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_]{0,30}$' })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(ApplicationView), ...errors },
      },
    },
    (req) => casework.inbox(deps, requireStaff(req), req.query),
  );
  app.get(
    '/casework/applications/:number',
    {
      schema: {
        tags,
        summary: 'An application with its timeline',
        params: NumberParams,
        response: { 200: ApplicationView, ...errors },
      },
    },
    (req) => casework.getForStaff(deps, requireStaff(req), req.params.number),
  );
  app.post(
    '/casework/applications/:number/act',
    {
      schema: {
        tags,
        summary: 'Act at the current step: accept, approve, reject, correct (list what is missing), transfer, conclude',
        params: NumberParams,
        body: Type.Object(
          {
            action: Type.Enum(casework.ACTIONS),
            expectedVersion: Type.Integer({ minimum: 1 }),
            note: Type.Optional(Type.String({ maxLength: 2000 })),
            missing: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 30 })),
            toDepartmentId: Type.Optional(Type.Integer({ minimum: 1 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: ApplicationView, ...errors },
      },
    },
    (req) => casework.act(deps, requireStaff(req), req.params.number, req.body),
  );
}
