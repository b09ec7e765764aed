// opendata HTTP of conditional opening (有条件开放): applicants file applications, issue their key, see their use
// (public zone); the publishing department reviews and revokes (internal zone).
import { Type } from 'typebox';
import type { App } from '../../platform/http.ts';
import { requireAccount } from '../auth/index.ts';
import { requireStaff } from '../org/index.ts';
import type { AccessDeps } from './access.service.ts';
import * as accessService from './access.service.ts';

const err = { $ref: 'ErrorResponse#' } as const;
const errors = { 400: err, 401: err, 403: err, 404: err, 409: err } as const;

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
