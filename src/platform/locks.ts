// Every PostgreSQL advisory lock key of the platform, in one place: two modules that picked the same number would
// wait on each other (the exchange's dispatcher once shared the ledger's batch lock).
export const LOCKS = {
  /** Session lock while migrations run (several instances starting at once). */
  migrate: 7_304_991_205,
  /** Session lock of the ledger integrator's leader. */
  ledgerLeader: 7_304_991_206,
  /** Transaction lock of the one writer of a ledger batch. */
  ledgerBatch: 7_304_991_207,
  /** Transaction lock of the exchange's dispatcher of record changes into deliveries. */
  exchangeDispatch: 7_304_991_208,
  /** Transaction lock of the one instance releasing the open-data usage dataset's next version. */
  opendataUsage: 7_304_991_209,
} as const;
