// ledger: the tamper-evident log of every government action (RFC 9162 Merkle tree, C2SP signed checkpoints).
// Modules record an action with `deps.ledger.append(tx, entry)` inside the transaction that makes the change.
export { type AuditReport, auditLog } from './audit.ts';
export { Integrator } from './integrator.ts';
export { type LedgerRouteOptions, ledgerRoutes } from './ledger.routes.ts';
export {
  consistencyProof,
  currentCheckpoint,
  getReceipt,
  inclusionProof,
  type LedgerEntry,
  type LedgerNode,
  type LedgerZone,
  leafHashAt,
  ledgerStatus,
  openLedger,
  type PreparedEntry,
  type ReceiptReader,
  type ZoneLedger,
} from './ledger.service.ts';
export { queueInsertSql as ledgerQueueInsert } from './ledger.store.ts';
export { profileCrypto } from './profile.ts';
export * as ledgerVerify from './verify.ts';
