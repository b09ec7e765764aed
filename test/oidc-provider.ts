// A real OpenID Connect provider (the `oidc-provider` package) listening inside a test, standing in for a unified
// identity platform (统一身份认证). Its login and consent pages answer at once for whoever the test says signs in; a
// switch on its token endpoint hands the relying party a forged ID token.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after } from 'node:test';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import Provider from 'oidc-provider';

export interface TestProvider {
  readonly issuer: string;
  /** Registers our zones as clients (id and origin; the secret is `<id>-secret-0123456789`). */
  register(clients: ReadonlyArray<{ id: string; origin: string }>): void;
  /** Who logs in at the provider's next login page. */
  signInAs(user: string): void;
  /** Rewrites the ID token the token endpoint answers (undefined: answer it untouched). */
  forge(rewrite: ((idToken: string) => Promise<string>) | undefined): void;
  /** Login and consent pages shown so far. */
  interactions(): number;
  /** Signs claims with the provider's own key, as a forger holding it would. */
  resign(claims: Record<string, unknown>): Promise<string>;
}

export const clientSecret = (id: string) => `${id}-secret-0123456789`;
export const payloadOf = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;

export async function startTestProvider(users: Record<string, Record<string, string>>): Promise<TestProvider> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingJwk: JWK = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  let provider: Provider | undefined;
  let forge: ((idToken: string) => Promise<string>) | undefined;
  let user = '';
  let interactions = 0;

  async function finishInteraction(op: Provider, req: http.IncomingMessage, res: http.ServerResponse) {
    interactions++;
    const details = await op.interactionDetails(req, res);
    if (details.prompt.name === 'login') {
      await op.interactionFinished(req, res, { login: { accountId: user } }, { mergeWithLastSubmission: false });
      return;
    }
    const grant = new op.Grant({
      accountId: details.session?.accountId ?? user,
      clientId: String(details.params.client_id),
    });
    grant.addOIDCScope(String(details.params.scope));
    const grantId = await grant.save();
    await op.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }

  const server = http.createServer((req, res) => {
    void (async () => {
      if (!provider) throw new Error('no clients registered yet');
      if (/^\/interaction\/[^/?]+/.test(req.url ?? '')) return finishInteraction(provider, req, res);
      if (forge && req.url?.startsWith('/token')) interceptTokenResponse(res, forge);
      provider.callback()(req, res);
    })().catch((e: unknown) => {
      res.statusCode = 500;
      res.end(String(e));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    issuer,
    register(clients) {
      provider = new Provider(issuer, {
        clients: clients.map(({ id, origin }) => ({
          client_id: id,
          client_secret: clientSecret(id),
          redirect_uris: [`${origin}/api/v1/auth/oidc/callback`],
          post_logout_redirect_uris: [`${origin}/`],
          grant_types: ['authorization_code'],
          response_types: ['code' as const],
          token_endpoint_auth_method: 'client_secret_basic' as const,
        })),
        jwks: { keys: [signingJwk as never] },
        cookies: { keys: ['oidc-test-cookie-key'] },
        claims: { openid: ['sub'], profile: ['name', 'preferred_username', 'resident_id', 'credit_code'] },
        features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
        interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
        pkce: { required: () => true },
        ttl: { AccessToken: 600, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
        findAccount: (_ctx, sub) => ({
          accountId: sub,
          claims: () => ({ sub, preferred_username: sub, ...users[sub] }),
        }),
      });
    },
    signInAs: (name) => {
      user = name;
    },
    forge: (rewrite) => {
      forge = rewrite;
    },
    interactions: () => interactions,
    resign: (claims) => new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'test-key' }).sign(privateKey),
  };
}

function interceptTokenResponse(res: http.ServerResponse, rewrite: (idToken: string) => Promise<string>) {
  const end = res.end.bind(res) as (chunk?: unknown) => http.ServerResponse;
  (res as { end: unknown }).end = (chunk?: unknown) => {
    const body = JSON.parse(String(chunk)) as { id_token?: string };
    if (!body.id_token) return end(chunk);
    void rewrite(body.id_token).then((idToken) => {
      const out = JSON.stringify({ ...body, id_token: idToken });
      res.setHeader('content-length', Buffer.byteLength(out));
      end(out);
    });
    return res;
  };
}
