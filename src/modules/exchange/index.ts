// exchange: data sharing between departments through the safety valve (半内半外). Share requests and grants, the
// Cedar policy that decides every field of every read, the signed and ledgered data access API, subscriptions
// with signed webhooks, and the access log.
export { type AccessDeps, readRecords, verifyClaim } from './access.service.ts';
export { AnswerWriter } from './answer-writer.ts';
export { ExchangeCache } from './exchange.cache.ts';
export { exchangeZoneHooks, nodeSignerFrom } from './exchange.hooks.ts';
export { type ExchangeRouteDeps, exchangeApiRoutes, exchangeInternalRoutes } from './exchange.routes.ts';
export { checkHeldRecord, type HeldDeps, type HeldResult } from './held.service.ts';
export { RefusalThrottle } from './limits.ts';
export {
  approveShareRequest,
  createShareRequest,
  type ExchangeDeps,
  escalateOverdueRequests,
  listGrants,
  revokeGrant,
} from './requests.service.ts';
export { deliverDue, dispatchChanges, type NodeSigner } from './subscriptions.service.ts';
export { savePolicy, testPolicy, ValveCache } from './valve.service.ts';
export { checkPolicy, DEFAULT_POLICY, Valve } from './valve.ts';
export { ExchangeWorker } from './worker.ts';
