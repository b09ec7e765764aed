// auth: sessions for staff (internal) and citizens/enterprises (public), API clients with RFC 9421 signatures
// (exchange), password hashing, lockout and CSRF.
export {
  type AuthRouteDeps,
  accountSessionHook,
  authExchangeRoutes,
  authInternalRoutes,
  authPublicRoutes,
  requireAccount,
  requireClient,
  type SignedRequestDeps,
  signedRequestHook,
  staffSessionHook,
} from './auth.routes.ts';
export {
  type AccountActor,
  type AuthDeps,
  type ClientActor,
  createStaffUser,
  LOCKOUT_MINUTES,
  MAX_FAILED_LOGINS,
  registerAccount,
} from './auth.service.ts';
export { accountIdentity, findClientByKeyId, recordNoncesSql, touchClientsSql } from './auth.store.ts';
export { createClient } from './clients.service.ts';
export { COOKIE } from './cookies.ts';
export { OidcClient } from './oidc.ts';
export { contentDigest, parseSignatureHeaders, signRequest, signResponse, verifyResponse } from './signatures.ts';
export {
  type CheckedSignature,
  type ClientCache,
  checkSignature,
  consumeNonce,
  createClientCache,
  sweepNonces,
} from './signed-requests.service.ts';
