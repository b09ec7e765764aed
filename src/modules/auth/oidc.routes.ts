// Unified sign-in (统一身份认证) over HTTP, the same on both cookie zones: which ways to sign in there are, the start
// (a redirect to the provider) and the callback (the provider's redirect back), which opens our session.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../platform/errors.ts';
import type { App } from '../../platform/http.ts';
import type { AuthRouteDeps } from './auth.routes.ts';
import type { NewSession } from './auth.service.ts';
import { COOKIE, setSessionCookie } from './cookies.ts';
import * as oidcService from './oidc.service.ts';
import { PENDING_MINUTES } from './oidc.ts';

const PENDING_COOKIE = 'zt_oidc';
const CALLBACK = '/api/v1/auth/oidc/callback';
const err = { $ref: 'ErrorResponse#' } as const;

/** A path on this listener to come back to; never another origin (`//host`, `/\host`) nor anything to escape. */
const ReturnTo = Type.String({ pattern: '^/(?![/\\\\])[^\\s"\'<>\\\\`]*$', maxLength: 500 });

export const SignInMethods = Type.Object(
  {
    password: Type.Boolean(),
    oidc: Type.Union([Type.Object({ label: Type.String(), startUrl: Type.String() }), Type.Null()], {
      description: 'the unified identity platform, when one is configured',
    }),
  },
  { $id: 'SignInMethods', additionalProperties: false },
);

export const LogoutResult = Type.Object(
  {
    endSessionUrl: Type.Union([Type.String(), Type.Null()], {
      description: "for a session the identity provider opened: its logout page, to end the provider's session too",
    }),
  },
  { $id: 'LogoutResult', additionalProperties: false },
);

const StartQuery = Type.Object({ returnTo: Type.Optional(ReturnTo) }, { additionalProperties: false });

const short = Type.String({ maxLength: 2000 });
const CallbackQuery = Type.Object(
  {
    code: Type.Optional(short),
    state: Type.Optional(short),
    iss: Type.Optional(short),
    error: Type.Optional(short),
    error_description: Type.Optional(short),
    session_state: Type.Optional(short),
  },
  { additionalProperties: false },
);

/** A redirect's answer: no body, a Location header. */
const redirect = (description: string) => ({
  description,
  type: 'null',
  headers: { location: { type: 'string', description: 'where the browser goes next' } },
});

const notConfigured = () =>
  new AppError('auth.oidc.not_configured', 404, 'No unified identity platform is configured for this sign-in');

const callbackUrl = (deps: AuthRouteDeps, req: FastifyRequest) =>
  deps.oidc?.settings.redirectUrl ?? `${req.protocol}://${req.host}${CALLBACK}`;

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/**
 * The session cookie is SameSite=Strict, and a browser does not send such a cookie on a navigation whose redirect chain
 * began at another site (the provider). So the callback answers a page that navigates on from our own origin.
 */
function continueTo(reply: FastifyReply, path: string) {
  const href = escapeHtml(path);
  return reply
    .status(200)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(
      `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${href}">` +
        `<title>登录成功 Signed in</title><p><a href="${href}">继续 Continue</a></p></html>`,
    );
}

export async function oidcRoutes(
  app: App,
  deps: AuthRouteDeps,
  kind: 'staff' | 'account',
  throttled: { onRequest: (req: FastifyRequest) => Promise<void> },
): Promise<void> {
  const tags = ['auth'];
  const cookiePath = '/api/v1/auth/oidc';
  // Where a failed callback sends the browser: the page that signs in, which shows the error in the user's language.
  const failurePage = (code: string, returnTo: string | undefined) =>
    kind === 'account'
      ? `/login?oidcError=${encodeURIComponent(code)}${returnTo ? `&next=${encodeURIComponent(returnTo)}` : ''}`
      : `/?oidcError=${encodeURIComponent(code)}`;

  app.get(
    '/auth/methods',
    {
      schema: {
        tags,
        summary: 'The ways to sign in here: password, and the unified identity platform when configured',
        response: { 200: SignInMethods },
      },
    },
    async () => ({
      password: true,
      oidc: deps.oidc ? { label: deps.oidc.settings.label, startUrl: '/api/v1/auth/oidc/start' } : null,
    }),
  );

  app.get(
    '/auth/oidc/start',
    {
      ...throttled,
      schema: {
        tags,
        summary: 'Start unified sign-in: redirects the browser to the identity provider (authorization code + PKCE)',
        querystring: StartQuery,
        response: { 303: redirect('to the identity provider'), 404: err, 429: err, 503: err },
      },
    },
    async (req, reply) => {
      if (!deps.oidc) throw notConfigured();
      const now = deps.clock();
      const { url, sealed } = await deps.oidc.start(callbackUrl(deps, req), req.query.returnTo ?? '/', now);
      // Lax, not Strict: it must come back with the provider's top-level redirect to the callback.
      reply.setCookie(PENDING_COOKIE, sealed, {
        httpOnly: true,
        sameSite: 'lax',
        secure: deps.cookieSecure,
        path: cookiePath,
        maxAge: PENDING_MINUTES * 60,
      });
      return reply.redirect(url, 303);
    },
  );

  app.get(
    '/auth/oidc/callback',
    {
      ...throttled,
      schema: {
        tags,
        summary:
          "The identity provider's redirect back: verifies the answer, opens the session, continues to the page " +
          'the sign-in started from (a failure goes to the sign-in page with ?oidcError=<code>)',
        querystring: CallbackQuery,
        response: {
          200: {
            description: 'a page that continues to where the sign-in started',
            content: { 'text/html': { schema: Type.String() } },
          },
          303: redirect('to the sign-in page, with the error code'),
          400: err,
          404: err,
          429: err,
        },
      },
    },
    async (req, reply) => {
      const oidc = deps.oidc;
      if (!oidc) throw notConfigured();
      reply.clearCookie(PENDING_COOKIE, { path: cookiePath });
      let returnTo: string | undefined;
      let identified = false;
      const attempt = { ip: req.ip };
      try {
        const pending = oidc.pending(req.cookies[PENDING_COOKIE], deps.clock());
        returnTo = pending.returnTo;
        const url = new URL(callbackUrl(deps, req));
        url.search = new URLSearchParams(req.query as Record<string, string>).toString();
        const identity = await oidc.finish(url, pending);
        identified = true; // from here on, the service records its own refusals
        const session: NewSession<unknown> =
          kind === 'staff'
            ? await oidcService.signInStaff(deps, oidc.settings, identity, attempt)
            : await oidcService.signInAccount(deps, oidc.settings, identity, attempt);
        setSessionCookie(reply, kind === 'staff' ? COOKIE.staff : COOKIE.account, session, deps.cookieSecure);
        return continueTo(reply, returnTo);
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        if (!identified) await oidcService.recordProtocolRefusal(deps, kind, e, attempt);
        req.log.warn({ code: e.code, details: e.details }, 'unified sign-in refused');
        return reply.redirect(failurePage(e.code, returnTo), 303);
      }
    },
  );
}
