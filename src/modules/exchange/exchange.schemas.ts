// The exchange's request and response schemas.
import { type Static, Type } from 'typebox';
import { CODE_PATTERN } from '../registry/index.ts';

const FieldCode = Type.String({ pattern: '^[a-z][a-z0-9_]{0,62}$' });
const FieldList = Type.Array(FieldCode, { minItems: 1, maxItems: 300, uniqueItems: true });
const Purpose = Type.String({ minLength: 2, maxLength: 200, description: 'what the data is used for (用途)' });
const Id = Type.Integer({ minimum: 1 });
const When = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const REQUEST_STATUSES = ['pending', 'approved', 'rejected', 'refused', 'withdrawn'] as const;

export const CreateShareRequest = Type.Object(
  {
    registerCode: Type.String({ pattern: CODE_PATTERN }),
    fields: FieldList,
    purpose: Purpose,
    legalBasis: Type.String({ minLength: 2, maxLength: 2000, description: '依据: the law, rule or document' }),
    validUntil: When,
    departmentId: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type CreateShareRequest = Static<typeof CreateShareRequest>;

export const ApproveShareRequest = Type.Object(
  {
    fields: Type.Optional(FieldList),
    clearFields: Type.Optional(
      Type.Array(FieldCode, { maxItems: 300, uniqueItems: true, description: 'fields that leave unmasked' }),
    ),
    validUntil: Type.Optional(When),
    ratePerMinute: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
    dailyLimit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000_000 })),
    reason: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type ApproveShareRequest = Static<typeof ApproveShareRequest>;

export const Reason = Type.Object(
  { reason: Type.String({ minLength: 2, maxLength: 2000 }) },
  { additionalProperties: false },
);

export const ShareRequest = Type.Object({
  id: Type.Integer(),
  registerCode: Type.String(),
  registerName: Type.String(),
  providerDepartmentId: Type.Integer(),
  consumerDepartmentId: Type.Integer(),
  requestedBy: Type.Integer(),
  fields: Type.Array(Type.String()),
  purpose: Type.String(),
  legalBasis: Type.String(),
  validUntil: When,
  status: Type.Enum(REQUEST_STATUSES),
  dueAt: Nullable(When),
  overdue: Type.Boolean(),
  escalatedAt: Nullable(When),
  decidedBy: Nullable(Type.Integer()),
  decidedAt: Nullable(When),
  decisionReason: Nullable(Type.String()),
  createdAt: When,
  grantId: Nullable(Type.Integer()),
});
export type ShareRequest = Static<typeof ShareRequest>;

export const Grant = Type.Object({
  id: Type.Integer(),
  requestId: Type.Integer(),
  registerCode: Type.String(),
  registerName: Type.String(),
  providerDepartmentId: Type.Integer(),
  consumerDepartmentId: Type.Integer(),
  kind: Type.Enum(['unconditional', 'conditional']),
  fields: Type.Array(Type.String()),
  clearFields: Type.Array(Type.String()),
  purpose: Type.String(),
  validFrom: When,
  validUntil: When,
  ratePerMinute: Type.Integer(),
  dailyLimit: Type.Integer(),
  status: Type.Enum(['active', 'revoked', 'expired']),
  revokedAt: Nullable(When),
  revokeReason: Nullable(Type.String()),
});
export type Grant = Static<typeof Grant>;

export const ListQuery = Type.Object(
  {
    side: Type.Optional(Type.Enum(['incoming', 'outgoing', 'all'])),
    status: Type.Optional(Type.Enum(REQUEST_STATUSES)),
    overdue: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ListQuery = Static<typeof ListQuery>;

export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });
export const CodeParams = Type.Object(
  { code: Type.String({ pattern: CODE_PATTERN }) },
  { additionalProperties: false },
);

// ---- the valve ----

export const PolicyView = Type.Object({
  version: Type.Integer({ description: '0: the shipped default, never saved' }),
  policy: Type.String(),
  comment: Nullable(Type.String()),
  createdBy: Type.String(),
  createdAt: Nullable(When),
  schema: Type.String(),
  versions: Type.Array(
    Type.Object({
      version: Type.Integer(),
      comment: Nullable(Type.String()),
      createdBy: Type.String(),
      createdAt: When,
    }),
  ),
});

export const SavePolicy = Type.Object(
  {
    policy: Type.String({ minLength: 1, maxLength: 200_000 }),
    expectedVersion: Type.Integer({ minimum: 0 }),
    comment: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type SavePolicy = Static<typeof SavePolicy>;

export const TestPolicy = Type.Object(
  {
    keyId: Type.Optional(Type.String({ maxLength: 64, description: 'the calling client; or departmentId' })),
    departmentId: Type.Optional(Id),
    registerCode: Type.String({ pattern: CODE_PATTERN }),
    fields: Type.Optional(FieldList),
    purpose: Purpose,
    grantId: Type.Optional(Id),
    at: Type.Optional(When),
    policy: Type.Optional(Type.String({ maxLength: 200_000, description: 'a draft to test instead of the saved set' })),
  },
  { additionalProperties: false },
);
export type TestPolicy = Static<typeof TestPolicy>;

const Decision = Type.Object({ allow: Type.Boolean(), policies: Type.Array(Type.String()) });
export const TestPolicyResult = Type.Object({
  policyVersion: Type.Integer(),
  grantId: Nullable(Type.Integer()),
  fields: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      grade: Type.String(),
      pii: Type.String(),
      outcome: Type.Enum(['clear', 'masked', 'denied']),
      readMasked: Decision,
      readClear: Decision,
      filter: Decision,
      verify: Decision,
    }),
  ),
});

export const PolicyProblems = Type.Object({
  valid: Type.Boolean(),
  problems: Type.Array(Type.Object({ policy: Nullable(Type.String()), message: Type.String() })),
});

// ---- the data access API (exchange zone) ----

export const RecordsQuery = Type.Object(
  {
    purpose: Purpose,
    fields: Type.Optional(
      Type.String({ maxLength: 2000, description: 'comma-separated field codes; default: all the grant allows' }),
    ),
    filter: Type.Optional(
      Type.Array(Type.String({ maxLength: 300, pattern: '^[a-z][a-z0-9_]{0,62}:' }), {
        maxItems: 5,
        description: 'field:value, exact match; repeat for several (at most 5)',
      }),
    ),
    grant: Type.Optional(Id),
    after: Type.Optional(Type.Integer({ minimum: 0 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  },
  { additionalProperties: false },
);
export type RecordsQuery = Static<typeof RecordsQuery>;

export const ExchangeRecords = Type.Object({
  register: Type.String(),
  grant: Type.Integer(),
  fields: Type.Object({ clear: Type.Array(Type.String()), masked: Type.Array(Type.String()) }),
  records: Type.Array(
    Type.Object({
      id: Type.Integer(),
      version: Type.Integer(),
      updatedAt: When,
      data: Type.Record(Type.String(), Type.Unknown()),
    }),
  ),
  next: Nullable(Type.Integer()),
});

export const VerifyClaim = Type.Object(
  {
    purpose: Purpose,
    grant: Type.Optional(Id),
    match: Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]{0,62}$' }), Type.String({ maxLength: 500 }), {
      minProperties: 1,
      maxProperties: 5,
      description: 'field → value; matched when one live record has all of them',
    }),
  },
  { additionalProperties: false },
);
export type VerifyClaim = Static<typeof VerifyClaim>;

export const VerifyResult = Type.Object({
  register: Type.String(),
  grant: Type.Integer(),
  matched: Type.Boolean(),
});

export const CreateSubscription = Type.Object(
  {
    register: Type.String({ pattern: CODE_PATTERN }),
    url: Type.String({ minLength: 8, maxLength: 2000, format: 'uri' }),
    grant: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type CreateSubscription = Static<typeof CreateSubscription>;

export const Subscription = Type.Object({
  id: Type.Integer(),
  register: Type.String(),
  grant: Type.Integer(),
  keyId: Type.String(),
  consumerDepartmentId: Type.Integer(),
  url: Type.String(),
  status: Type.Enum(['active', 'cancelled']),
  lastSeq: Type.Integer(),
  deliveredSeq: Type.Integer(),
  failures: Type.Integer(),
  nextAttemptAt: When,
  lastError: Nullable(Type.String()),
  createdAt: When,
});
export type Subscription = Static<typeof Subscription>;

export const Change = Type.Object({
  subscription: Type.Integer(),
  seq: Type.Integer(),
  register: Type.String(),
  recordId: Type.Integer(),
  version: Type.Integer(),
  op: Type.Enum(['created', 'updated', 'deleted']),
  changedAt: When,
  data: Nullable(Type.Record(Type.String(), Type.Unknown())),
});
export type Change = Static<typeof Change>;

export const ChangesQuery = Type.Object(
  {
    after: Type.Optional(Type.Integer({ minimum: 0, description: 'the last seq you have' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  },
  { additionalProperties: false },
);

export const AccessLogQuery = Type.Object(
  {
    decision: Type.Optional(Type.Enum(['allow', 'deny'])),
    register: Type.Optional(Type.String({ pattern: CODE_PATTERN })),
    client: Type.Optional(Id),
    before: Type.Optional(Id),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  },
  { additionalProperties: false },
);
export type AccessLogQuery = Static<typeof AccessLogQuery>;

export const AccessLogEntry = Type.Object({
  id: Type.Integer(),
  at: When,
  clientId: Nullable(Type.Integer()),
  keyId: Nullable(Type.String()),
  departmentId: Nullable(Type.Integer()),
  operation: Type.String(),
  registerCode: Nullable(Type.String()),
  grantId: Nullable(Type.Integer()),
  purpose: Nullable(Type.String()),
  decision: Type.Enum(['allow', 'deny']),
  reason: Nullable(Type.String()),
  status: Type.Integer(),
  fields: Type.Unknown(),
  rows: Nullable(Type.Integer()),
  requestDigest: Nullable(Type.String()),
  responseDigest: Nullable(Type.String()),
  ip: Nullable(Type.String()),
  durationMs: Nullable(Type.Number()),
});
