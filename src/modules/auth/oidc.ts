// OpenID Connect as a relying party (统一身份认证): the authorization code flow with PKCE against one provider per zone,
// through openid-client. Protocol only — which account a verified identity becomes is oidc.service.ts.
import * as client from 'openid-client';
import type { OidcProvider } from '../../platform/config.ts';
import type { SecretBox } from '../../platform/crypto.ts';
import { AppError } from '../../platform/errors.ts';

/** How long a started sign-in may take at the provider before its callback is refused. */
export const PENDING_MINUTES = 10;

/** What the browser carries, sealed, between the start and the callback: nothing of it is readable or forgeable. */
export interface PendingLogin {
  readonly state: string;
  readonly nonce: string;
  readonly verifier: string;
  readonly returnTo: string;
  readonly expiresAt: number;
}

/** The identity the provider vouched for: the ID token's claims, completed by the userinfo endpoint's. */
export interface VerifiedIdentity {
  readonly issuer: string;
  readonly subject: string;
  readonly claims: Readonly<Record<string, unknown>>;
}

const refused = (reason: string, check: string) =>
  new AppError('auth.oidc.refused', 401, `The identity provider's answer was refused: ${check}`, {
    reason,
    check: check.slice(0, 200),
  });

/** One error vocabulary for whatever the provider or the network did. */
function providerError(e: unknown): AppError {
  if (e instanceof AppError) return e;
  if (e instanceof client.AuthorizationResponseError) {
    if (e.error === 'access_denied' || e.error === 'login_required' || e.error === 'consent_required') {
      return new AppError('auth.oidc.denied', 401, 'The sign-in was cancelled or refused at the identity provider', {
        reason: e.error,
      });
    }
    return refused(e.error, e.error_description ?? e.error);
  }
  if (e instanceof client.ResponseBodyError) return refused(e.error, e.error_description ?? e.error);
  if (e instanceof client.ClientError) {
    // openid-client's own message is generic ("invalid response encountered"); its cause says which check failed.
    const cause = (e as { cause?: unknown }).cause;
    return refused(e.code ?? 'invalid_response', cause instanceof Error ? cause.message : e.message);
  }
  return new AppError('auth.oidc.unavailable', 503, 'The identity provider cannot be reached; try again later', {
    reason: e instanceof Error ? e.message.slice(0, 200) : 'unknown',
  });
}

export class OidcClient {
  #config: Promise<client.Configuration> | undefined;
  readonly settings: OidcProvider;
  readonly #secrets: SecretBox;

  constructor(settings: OidcProvider, secrets: SecretBox) {
    this.settings = settings;
    this.#secrets = secrets;
  }

  /** The provider's metadata, discovered once; a failed discovery is tried again on the next sign-in. */
  configuration(): Promise<client.Configuration> {
    if (!this.#config) {
      const { issuer, clientId, clientSecret, allowHttp } = this.settings;
      this.#config = client
        .discovery(
          new URL(issuer),
          clientId,
          clientSecret === undefined ? { token_endpoint_auth_method: 'none' } : { client_secret: clientSecret },
          clientSecret === undefined ? client.None() : client.ClientSecretBasic(clientSecret),
          {
            // ID tokens are verified by their signature too, not only trusted for having come over TLS.
            execute: allowHttp
              ? [client.allowInsecureRequests, client.enableNonRepudiationChecks]
              : [client.enableNonRepudiationChecks],
            timeout: 10,
          },
        )
        .catch((e: unknown) => {
          this.#config = undefined;
          throw providerError(e);
        });
    }
    return this.#config;
  }

  /** The provider's authorization URL for a new sign-in, and the sealed state the browser keeps until the callback. */
  async start(redirectUri: string, returnTo: string, now: Date): Promise<{ url: string; sealed: string }> {
    const config = await this.configuration();
    const pending: PendingLogin = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      verifier: client.randomPKCECodeVerifier(),
      returnTo,
      expiresAt: now.getTime() + PENDING_MINUTES * 60_000,
    };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: this.settings.scope,
      response_type: 'code',
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(pending.verifier),
      code_challenge_method: 'S256',
    });
    return { url: url.href, sealed: this.#secrets.seal(JSON.stringify(pending)).toString('base64url') };
  }

  /** Unseals the browser's pending sign-in; a missing, altered or stale one is refused. */
  pending(sealed: string | undefined, now: Date): PendingLogin {
    const stale = new AppError(
      'auth.oidc.state',
      400,
      'This sign-in was not started in this browser or took too long; start it again',
    );
    if (!sealed) throw stale;
    let pending: PendingLogin;
    try {
      pending = JSON.parse(this.#secrets.open(Buffer.from(sealed, 'base64url'))) as PendingLogin;
    } catch {
      throw stale;
    }
    if (typeof pending.expiresAt !== 'number' || pending.expiresAt <= now.getTime()) throw stale;
    return pending;
  }

  /**
   * Completes the sign-in from the callback's URL: checks state, exchanges the code with the PKCE verifier, verifies
   * the ID token (signature, issuer, audience, expiry, nonce) and reads the userinfo endpoint for the same subject.
   */
  async finish(callbackUrl: URL, pending: PendingLogin): Promise<VerifiedIdentity> {
    try {
      const config = await this.configuration();
      const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
      });
      const idClaims = tokens.claims();
      if (!idClaims) throw refused('no_id_token', 'it carried no ID token');
      let userinfo: Record<string, unknown> = {};
      if (config.serverMetadata().userinfo_endpoint) {
        userinfo = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
      }
      return { issuer: idClaims.iss, subject: idClaims.sub, claims: { ...userinfo, ...idClaims } };
    } catch (e) {
      throw providerError(e);
    }
  }

  /** Where to send the browser so the provider ends its session too (RP-Initiated Logout), if it offers that. */
  async endSessionUrl(postLogoutRedirectUri: string): Promise<string | null> {
    let config: client.Configuration;
    try {
      config = await this.configuration();
    } catch {
      return null; // our session is over either way; the provider's ends when it expires
    }
    if (!config.serverMetadata().end_session_endpoint) return null;
    return client.buildEndSessionUrl(config, {
      client_id: this.settings.clientId,
      post_logout_redirect_uri: postLogoutRedirectUri,
    }).href;
  }
}
