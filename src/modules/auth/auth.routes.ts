// auth HTTP: session cookies with CSRF tokens on the public and internal zones; RFC 9421 signed requests on the
// exchange zone. Hooks put the actor on the request; routes are thin.
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { SharedCounters } from '../../platform/counters.ts';
import type { SignatureAlg } from '../../platform/crypto.ts';
import { AppError, unauthenticated } from '../../platform/errors.ts';
import type { Generation } from '../../platform/generation.ts';
import type { App } from '../../platform/http.ts';
import { parseJsonBody } from '../../platform/input.ts';
import { requireStaff, type StaffActor } from '../org/index.ts';
import {
  AccountLogin,
  AccountSession,
  ApiClient,
  ChangePassword,
  ClientQuery,
  CreateClient,
  CreatedClient,
  ExchangeIdentity,
  IdParams,
  PingResponse,
  Register,
  SetPassword,
  StaffLogin,
  StaffSession,
} from './auth.schemas.ts';
import * as service from './auth.service.ts';
import * as clients from './clients.service.ts';
import { COOKIE, setSessionCookie } from './cookies.ts';
import { LogoutResult, oidcRoutes } from './oidc.routes.ts';
import type { OidcClient } from './oidc.ts';
import type { RequestParts } from './signatures.ts';
import * as signed from './signed-requests.service.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set on the public zone when a citizen or enterprise is logged in. */
    account?: service.AccountActor;
    /** Set on the exchange zone once the request's signature verified. */
    client?: service.ClientActor;
    /** The session behind the cookie, for CSRF checks, logout and password changes. */
    session?: { token: string; csrfToken: string; expiresAt: Date };
    rawBody?: Buffer;
  }
}

export interface AuthRouteDeps extends service.AuthDeps {
  readonly cookieSecure: boolean;
  readonly defaultAlg: SignatureAlg;
  readonly loginRatePerMinute: number;
  readonly counters: SharedCounters;
  /** The zone's unified identity platform, when one is configured. */
  readonly oidc?: OidcClient;
}

/**
 * Per-client-IP throttle on login and registration, on top of the per-account lockout: it stops one source from
 * trying a common password against many accounts. Counted in the database, so it holds across instances; it runs
 * before the body is even validated.
 */
export function throttleLogins(deps: AuthRouteDeps) {
  const onRequest = async (req: FastifyRequest) => {
    const { count, retryAfterSeconds } = await deps.counters.hit(`auth.login:${req.ip}`, 60_000);
    if (count > deps.loginRatePerMinute) {
      throw new AppError('auth.throttled', 429, 'Too many login attempts from this address; wait a minute', {
        retryAfterSeconds,
      });
    }
  };
  return { onRequest };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const err = { $ref: 'ErrorResponse#' } as const;
const errors = { 400: err, 401: err, 403: err, 404: err, 409: err, 429: err } as const;

/**
 * Cross-site request forgery defence for cookie sessions. SameSite=Strict does not separate ports of one host
 * (they are one "site"), so a state-changing request must also echo the session's CSRF token, and a browser's
 * Origin must match the Host.
 */
function checkCsrf(req: FastifyRequest): void {
  if (SAFE_METHODS.has(req.method)) return;
  const origin = req.headers.origin;
  if (origin !== undefined) {
    let originHost: string | undefined;
    try {
      originHost = new URL(origin).host;
    } catch {
      originHost = undefined;
    }
    if (originHost !== req.host) throw new AppError('auth.cross_origin', 403, 'Cross-origin request refused');
  }
  if (req.session && req.headers['x-csrf-token'] !== req.session.csrfToken) {
    throw new AppError('auth.csrf', 403, 'Missing or wrong X-CSRF-Token header; read it from GET /auth/session');
  }
}

function requireSession(req: FastifyRequest): { token: string; csrfToken: string; expiresAt: Date } {
  if (!req.session) throw unauthenticated();
  return req.session;
}

async function staffSessionView(
  deps: service.AuthDeps,
  actor: StaffActor,
  session: { csrfToken: string; expiresAt: Date },
) {
  const member = await service.describeStaff(deps, actor);
  return {
    kind: 'staff' as const,
    staffId: actor.staffId,
    username: actor.username,
    displayName: member.displayName,
    departmentId: actor.departmentId,
    roles: actor.roles.map((r) => ({ role: r.role, departmentId: r.departmentId })),
    csrfToken: session.csrfToken,
    expiresAt: session.expiresAt.toISOString(),
  };
}

const accountSessionView = (actor: service.AccountActor, session: { csrfToken: string; expiresAt: Date }) => ({
  ...actor,
  csrfToken: session.csrfToken,
  expiresAt: session.expiresAt.toISOString(),
});

const logoutSummary =
  "End the session; one opened by the identity provider answers the provider's logout URL to send the browser to";

/** The provider's logout for a session it opened, coming back to this listener's home page. */
function endSessionUrl(deps: AuthRouteDeps, req: FastifyRequest): Promise<string | null> {
  if (!deps.oidc) return Promise.resolve(null);
  return deps.oidc.endSessionUrl(deps.oidc.settings.postLogoutRedirectUrl ?? `${req.protocol}://${req.host}/`);
}

// ---- internal zone: staff ----

/** Resolves the staff session cookie for every request of the internal zone (register before the routes). */
export function staffSessionHook(app: App, deps: service.AuthDeps): void {
  app.addHook('onRequest', async (req) => {
    const token = req.cookies[COOKIE.staff];
    if (token) {
      const session = await service.resolveStaffSession(deps, token);
      if (session) {
        req.staff = session.actor;
        req.session = { token, csrfToken: session.csrfToken, expiresAt: session.expiresAt };
      }
    }
    checkCsrf(req);
  });
}

export async function authInternalRoutes(app: App, opts: { deps: AuthRouteDeps }): Promise<void> {
  const { deps } = opts;
  const tags = ['auth'];
  const throttled = throttleLogins(deps);
  await oidcRoutes(app, deps, 'staff', throttled);
  app.post(
    '/auth/login',
    {
      ...throttled,
      schema: {
        tags,
        summary: 'Staff login; sets the session cookie',
        body: StaffLogin,
        response: { 200: StaffSession, ...errors },
      },
    },
    async (req, reply) => {
      const session = await service.loginStaff(deps, req.body, { ip: req.ip });
      setSessionCookie(reply, COOKIE.staff, session, deps.cookieSecure);
      return staffSessionView(deps, session.actor, session);
    },
  );
  app.get(
    '/auth/session',
    {
      schema: {
        tags,
        summary: 'The current staff session and its CSRF token',
        response: { 200: StaffSession, ...errors },
      },
    },
    async (req) => staffSessionView(deps, requireStaff(req), requireSession(req)),
  );
  app.post(
    '/auth/logout',
    { schema: { tags, summary: logoutSummary, response: { 200: LogoutResult, ...errors } } },
    async (req, reply) => {
      const method =
        req.session && req.staff && (await service.logout(deps, 'staff', req.staff.staffId, req.session.token));
      reply.clearCookie(COOKIE.staff, { path: '/' });
      return { endSessionUrl: method === 'oidc' ? await endSessionUrl(deps, req) : null };
    },
  );
  app.post(
    '/auth/password',
    {
      schema: {
        tags,
        summary: 'Change your own password',
        body: ChangePassword,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (req, reply) => {
      await service.changePassword(deps, 'staff', requireStaff(req).staffId, requireSession(req).token, req.body, {
        ip: req.ip,
      });
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/auth/staff/:id/password',
    {
      schema: {
        tags,
        summary:
          "Set or reset a staff member's password (their department admin or a platform admin); ends their sessions",
        params: IdParams,
        body: SetPassword,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (req, reply) => {
      await service.setStaffPassword(deps, requireStaff(req), req.params.id, req.body.password);
      return reply.status(204).send(null);
    },
  );

  const clientTags = ['clients'];
  app.get(
    '/clients',
    {
      schema: {
        tags: clientTags,
        summary: 'API clients of the departments you manage',
        querystring: ClientQuery,
        response: { 200: Type.Array(ApiClient), ...errors },
      },
    },
    (req) => clients.listClients(deps, requireStaff(req), req.query.department),
  );
  app.post(
    '/clients',
    {
      schema: {
        tags: clientTags,
        summary: "Register a department's system for the exchange zone",
        body: CreateClient,
        response: { 201: CreatedClient, ...errors },
      },
    },
    async (req, reply) => reply.status(201).send(await clients.createClient(deps, requireStaff(req), req.body)),
  );
  app.post(
    '/clients/:id/revoke',
    {
      schema: {
        tags: clientTags,
        summary: 'Revoke an API client; its signatures stop verifying at once',
        params: IdParams,
        response: { 200: ApiClient, ...errors },
      },
    },
    (req) => clients.revokeClient(deps, requireStaff(req), req.params.id),
  );
}

// ---- public zone: citizens and enterprises ----

export function accountSessionHook(app: App, deps: service.AuthDeps): void {
  app.addHook('onRequest', async (req) => {
    const token = req.cookies[COOKIE.account];
    if (token) {
      const session = await service.resolveAccountSession(deps, token);
      if (session) {
        req.account = session.actor;
        req.session = { token, csrfToken: session.csrfToken, expiresAt: session.expiresAt };
      }
    }
    checkCsrf(req);
  });
}

export function requireAccount(req: FastifyRequest): service.AccountActor {
  if (!req.account) throw unauthenticated();
  return req.account;
}

export async function authPublicRoutes(app: App, opts: { deps: AuthRouteDeps }): Promise<void> {
  const { deps } = opts;
  const tags = ['auth'];
  const throttled = throttleLogins(deps);
  await oidcRoutes(app, deps, 'account', throttled);
  app.post(
    '/auth/register',
    {
      ...throttled,
      schema: {
        tags,
        summary: 'Register a citizen (real name and resident ID) or an enterprise (name and credit code); logs in',
        body: Register,
        response: { 201: AccountSession, ...errors },
      },
    },
    async (req, reply) => {
      const session = await service.registerAccount(deps, req.body, { ip: req.ip });
      setSessionCookie(reply, COOKIE.account, session, deps.cookieSecure);
      return reply.status(201).send(accountSessionView(session.actor, session));
    },
  );
  app.post(
    '/auth/login',
    {
      ...throttled,
      schema: {
        tags,
        summary: 'Log in with resident ID or credit code and password',
        body: AccountLogin,
        response: { 200: AccountSession, ...errors },
      },
    },
    async (req, reply) => {
      const session = await service.loginAccount(deps, req.body, { ip: req.ip });
      setSessionCookie(reply, COOKIE.account, session, deps.cookieSecure);
      return accountSessionView(session.actor, session);
    },
  );
  app.get(
    '/auth/session',
    {
      schema: { tags, summary: 'The current session and its CSRF token', response: { 200: AccountSession, ...errors } },
    },
    async (req) => accountSessionView(requireAccount(req), requireSession(req)),
  );
  app.post(
    '/auth/logout',
    { schema: { tags, summary: logoutSummary, response: { 200: LogoutResult, ...errors } } },
    async (req, reply) => {
      const method =
        req.session && req.account && (await service.logout(deps, 'account', req.account.accountId, req.session.token));
      reply.clearCookie(COOKIE.account, { path: '/' });
      return { endSessionUrl: method === 'oidc' ? await endSessionUrl(deps, req) : null };
    },
  );
  app.post(
    '/auth/password',
    {
      schema: {
        tags,
        summary: 'Change your password',
        body: ChangePassword,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (req, reply) => {
      await service.changePassword(
        deps,
        'account',
        requireAccount(req).accountId,
        requireSession(req).token,
        req.body,
        { ip: req.ip },
      );
      return reply.status(204).send(null);
    },
  );
}

// ---- exchange zone: signed requests ----

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route records the request's nonce itself, in its own first statement (see `consumeNonce`). */
    deferNonce?: boolean;
  }
  interface FastifyRequest {
    /** A verified request's nonce, not yet recorded (routes with `deferNonce`). */
    pendingNonce?: { keyId: string; nonce: string; parts: RequestParts };
  }
}

export interface SignedRequestDeps extends service.AuthDeps {
  readonly clients: signed.ClientCache;
  readonly generation: Generation;
}

/**
 * Keeps the raw JSON body (for Content-Digest) and verifies the RFC 9421 signature of every API request against
 * the cached client keys; the nonce is recorded in the same statement that checks the cache is current (a stale
 * cache is dropped and the signature checked again on fresh rows), or by the route itself (`deferNonce`).
 */
export function signedRequestHook(app: App, deps: SignedRequestDeps): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    const raw = body as Buffer;
    req.rawBody = raw;
    try {
      done(null, raw.length === 0 ? undefined : parseJsonBody(raw.toString('utf8')));
    } catch (e) {
      done(e as Error, undefined);
    }
  });
  app.addHook('preValidation', async (req) => {
    if (!req.url.startsWith('/api/')) return;
    const parts: RequestParts = {
      method: req.method,
      targetUri: `${req.protocol}://${req.host}${req.url}`,
      header: (name) => {
        const value = req.headers[name];
        return Array.isArray(value) ? value.join(', ') : value;
      },
      body: req.rawBody,
    };
    const checked = await signed.checkSignature(deps, parts);
    if (req.routeOptions.config.deferNonce) {
      req.client = checked.client;
      req.pendingNonce = { keyId: checked.client.keyId, nonce: checked.nonce, parts };
      return;
    }
    req.client = await recordNonce(deps, checked, parts);
  });
}

/** Records a checked request's nonce; re-checks the signature when the key cache turned out stale. */
async function recordNonce(
  deps: SignedRequestDeps,
  checked: signed.CheckedSignature,
  parts: RequestParts,
): Promise<service.ClientActor> {
  const r = await signed.consumeNonce(deps, checked.client.keyId, checked.nonce);
  const client = deps.generation.observe(r.generation)
    ? checked.client
    : (await signed.checkSignature(deps, parts)).client;
  if (!r.fresh) throw new AppError('signature.replayed', 401, 'This nonce was already used: a replayed request');
  return client;
}

export function requireClient(req: FastifyRequest): service.ClientActor {
  if (!req.client) throw unauthenticated('Sign the request');
  return req.client;
}

const identity = (c: service.ClientActor) => ({
  keyId: c.keyId,
  clientId: c.clientId,
  clientName: c.clientName,
  departmentId: c.departmentId,
  alg: c.alg,
});

export async function authExchangeRoutes(app: App): Promise<void> {
  const tags = ['exchange'];
  app.get(
    '/exchange/whoami',
    {
      schema: {
        tags,
        summary: 'Which client this signed request authenticates as',
        response: { 200: ExchangeIdentity, 401: err },
      },
    },
    async (req) => identity(requireClient(req)),
  );
  app.post(
    '/exchange/ping',
    {
      schema: {
        tags,
        summary: 'Connectivity check for a signed request with a body (covers content-digest)',
        body: Type.Record(Type.String(), Type.Unknown()),
        response: { 200: PingResponse, 400: err, 401: err },
      },
    },
    async (req) => ({
      client: identity(requireClient(req)),
      contentDigest: (req.headers['content-digest'] as string | undefined) ?? null,
      receivedBytes: req.rawBody?.length ?? 0,
    }),
  );
}
