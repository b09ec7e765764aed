// exchange HTTP. Internal zone: share requests, approvals, grants, the valve's policy and test console,
// subscriptions and the access log, for staff. Exchange zone: the data access API for signed clients.
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { App } from '../../platform/http.ts';
import { requireClient } from '../auth/index.ts';
import { requireStaff } from '../org/index.ts';
import * as access from './access.service.ts';
import * as accessLog from './access-log.service.ts';
import {
  AccessLogEntry,
  AccessLogQuery,
  ApproveShareRequest,
  Change,
  ChangesQuery,
  CodeParams,
  CreateShareRequest,
  CreateSubscription,
  ExchangeRecords,
  Grant,
  IdParams,
  ListQuery,
  PolicyProblems,
  PolicyView,
  Reason,
  RecordsQuery,
  SavePolicy,
  ShareRequest,
  Subscription,
  TestPolicy,
  TestPolicyResult,
  VerifyClaim,
  VerifyResult,
} from './exchange.schemas.ts';
import * as requests from './requests.service.ts';
import * as subscriptions from './subscriptions.service.ts';
import * as valve from './valve.service.ts';

const err = { $ref: 'ErrorResponse#' } as const;
const errors = { 400: err, 401: err, 403: err, 404: err, 409: err } as const;

export interface ExchangeRouteDeps extends requests.ExchangeDeps, subscriptions.SubscriptionDeps {}

export async function exchangeInternalRoutes(app: App, opts: { deps: ExchangeRouteDeps }): Promise<void> {
  const { deps } = opts;
  const tags = ['exchange'];
  app.get(
    '/exchange/requests',
    {
      schema: {
        tags,
        summary: 'Share requests my departments made (outgoing) or received (incoming); overdue ones flagged',
        querystring: ListQuery,
        response: { 200: Type.Array(ShareRequest), ...errors },
      },
    },
    (req) => requests.listShareRequests(deps, requireStaff(req), req.query),
  );
  app.post(
    '/exchange/requests',
    {
      schema: {
        tags,
        summary: 'Ask for fields of a register (共享申请): unconditional data is granted at once',
        body: CreateShareRequest,
        response: { 201: ShareRequest, ...errors },
      },
    },
    async (req, reply) => reply.status(201).send(await requests.createShareRequest(deps, requireStaff(req), req.body)),
  );
  app.post(
    '/exchange/requests/:id/approve',
    {
      schema: {
        tags,
        summary: 'The provider approves, possibly narrowing fields, period and limits; PII stays masked unless listed',
        params: IdParams,
        body: ApproveShareRequest,
        response: { 200: ShareRequest, ...errors },
      },
    },
    (req) => requests.approveShareRequest(deps, requireStaff(req), req.params.id, req.body),
  );
  app.post(
    '/exchange/requests/:id/reject',
    {
      schema: {
        tags,
        summary: 'The provider rejects with a reason',
        params: IdParams,
        body: Reason,
        response: { 200: ShareRequest, ...errors },
      },
    },
    (req) => requests.rejectShareRequest(deps, requireStaff(req), req.params.id, req.body.reason),
  );
  app.post(
    '/exchange/requests/:id/withdraw',
    {
      schema: {
        tags,
        summary: 'The consumer withdraws a pending request',
        params: IdParams,
        response: { 200: ShareRequest, ...errors },
      },
    },
    (req) => requests.withdrawShareRequest(deps, requireStaff(req), req.params.id),
  );
  app.get(
    '/exchange/grants',
    {
      schema: {
        tags,
        summary: 'Grants my departments hold (outgoing) or gave (incoming)',
        querystring: ListQuery,
        response: { 200: Type.Array(Grant), ...errors },
      },
    },
    (req) => requests.listGrants(deps, requireStaff(req), req.query),
  );
  app.post(
    '/exchange/grants/:id/revoke',
    {
      schema: {
        tags,
        summary: 'Revoke a grant: every later call under it is denied',
        params: IdParams,
        body: Reason,
        response: { 200: Grant, ...errors },
      },
    },
    (req) => requests.revokeGrant(deps, requireStaff(req), req.params.id, req.body.reason),
  );
  app.get(
    '/exchange/policy',
    {
      schema: {
        tags,
        summary: 'The safety valve policy in force (Cedar), its schema and its versions',
        response: { 200: PolicyView, ...errors },
      },
    },
    (req) => valve.getPolicy(deps, requireStaff(req)),
  );
  app.put(
    '/exchange/policy',
    {
      schema: {
        tags,
        summary: 'Save a new version of the policy (platform admins); it must validate against the schema',
        body: SavePolicy,
        response: { 200: PolicyView, ...errors },
      },
    },
    (req) => valve.savePolicy(deps, requireStaff(req), req.body),
  );
  app.post(
    '/exchange/policy/validate',
    {
      schema: {
        tags,
        summary: 'Check a draft policy set against the schema',
        body: Type.Object({ policy: Type.String({ maxLength: 200_000 }) }, { additionalProperties: false }),
        response: { 200: PolicyProblems, ...errors },
      },
    },
    (req) => {
      requireStaff(req);
      return valve.validatePolicy(req.body.policy);
    },
  );
  app.post(
    '/exchange/policy/test',
    {
      schema: {
        tags,
        summary: 'Would this request pass, and why? Each field’s decision for every action, with deciding policies',
        body: TestPolicy,
        response: { 200: TestPolicyResult, ...errors },
      },
    },
    (req) => valve.testPolicy(deps, requireStaff(req), req.body),
  );
  app.get(
    '/exchange/subscriptions',
    {
      schema: {
        tags,
        summary: 'Subscriptions of my departments’ clients, or to my departments’ registers',
        response: { 200: Type.Array(Subscription), ...errors },
      },
    },
    (req) => subscriptions.listSubscriptionsFor(deps, requireStaff(req)),
  );
  app.get(
    '/exchange/access-log',
    {
      schema: {
        tags,
        summary: 'Every exchange call, allowed or denied (newest first; page with `before`)',
        querystring: AccessLogQuery,
        response: { 200: Type.Array(AccessLogEntry), ...errors },
      },
    },
    (req) => accessLog.listAccessLog(deps, requireStaff(req), req.query),
  );
}

// ---- the exchange zone ----

const limited = { ...errors, 429: err } as const;

export async function exchangeApiRoutes(
  app: App,
  opts: { deps: ExchangeRouteDeps; node: subscriptions.NodeSigner },
): Promise<void> {
  const { deps, node } = opts;
  const tags = ['exchange'];
  const call = (req: FastifyRequest): access.CallContext => ({
    requestDigest: req.requestDigest ?? '',
    ip: req.ip,
    startedAt: req.startedAt ?? performance.now(),
    nonce: req.pendingNonce,
  });
  app.get(
    '/exchange/node',
    {
      schema: {
        tags,
        summary: 'This node’s response-signing key: every response carries an RFC 9421 signature by it',
        response: {
          200: Type.Object({ keyId: Type.String(), alg: Type.String(), publicKey: Type.String() }),
          401: err,
        },
      },
    },
    async () => ({ keyId: node.keyId, alg: node.alg, publicKey: node.publicKey }),
  );
  app.get(
    '/exchange/grants',
    {
      schema: {
        tags,
        summary: 'The grants my department holds',
        response: { 200: Type.Array(Grant), 401: err },
      },
    },
    (req) => requests.listClientGrants(deps, requireClient(req)),
  );
  app.get(
    '/exchange/registers/:code/records',
    {
      config: { deferNonce: true },
      schema: {
        tags,
        summary: 'Records through the safety valve: granted fields only, masked as decided; signed and ledgered',
        params: CodeParams,
        querystring: RecordsQuery,
        response: { 200: ExchangeRecords, ...limited },
      },
    },
    async (req, reply) => {
      const answer = await access.readRecords(deps, requireClient(req), req.params.code, req.query, call(req));
      return reply
        .header('content-type', 'application/json; charset=utf-8')
        .header('zt-receipt', answer.receipt)
        .send(answer.body);
    },
  );
  app.post(
    '/exchange/registers/:code/verify',
    {
      config: { deferNonce: true },
      schema: {
        tags,
        summary: 'Does a live record match this claim? Answers yes or no, never the data (数据可用不可见)',
        params: CodeParams,
        body: VerifyClaim,
        response: { 200: VerifyResult, ...limited },
      },
    },
    async (req, reply) => {
      const answer = await access.verifyClaim(deps, requireClient(req), req.params.code, req.body, call(req));
      return reply
        .header('content-type', 'application/json; charset=utf-8')
        .header('zt-receipt', answer.receipt)
        .send(answer.body);
    },
  );
  app.get(
    '/exchange/subscriptions',
    { schema: { tags, summary: 'My subscriptions', response: { 200: Type.Array(Subscription), 401: err } } },
    (req) => subscriptions.listOwnSubscriptions(deps, requireClient(req)),
  );
  app.post(
    '/exchange/subscriptions',
    {
      schema: {
        tags,
        summary: 'Subscribe to a register’s changes: signed webhooks, in order, at least once (dedupe by seq)',
        body: CreateSubscription,
        response: { 201: Subscription, ...errors },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await subscriptions.createSubscription(deps, requireClient(req), req.body)),
  );
  app.delete(
    '/exchange/subscriptions/:id',
    {
      schema: { tags, summary: 'Cancel a subscription', params: IdParams, response: { 200: Subscription, ...errors } },
    },
    (req) => subscriptions.cancelOwnSubscription(deps, requireClient(req), req.params.id),
  );
  app.get(
    '/exchange/subscriptions/:id/changes',
    {
      schema: {
        tags,
        summary: 'Replay changes after a sequence number',
        params: IdParams,
        querystring: ChangesQuery,
        response: {
          200: Type.Object({ changes: Type.Array(Change), lastSeq: Type.Integer() }),
          ...errors,
        },
      },
    },
    (req) =>
      subscriptions.replayChanges(
        deps,
        requireClient(req),
        req.params.id,
        req.query.after ?? 0,
        req.query.limit ?? 100,
      ),
  );
}
