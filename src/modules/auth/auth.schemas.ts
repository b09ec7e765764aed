import { type Static, Type } from 'typebox';

const Password = Type.String({ minLength: 8, maxLength: 128, description: 'at least 8 characters' });
const Id = Type.Integer({ minimum: 1 });

export const StaffLogin = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 128 }) },
  { additionalProperties: false },
);
export type StaffLogin = Static<typeof StaffLogin>;

export const AccountLogin = Type.Object(
  {
    identifier: Type.String({
      minLength: 1,
      maxLength: 32,
      description: 'resident ID number or unified social credit code',
    }),
    password: Type.String({ minLength: 1, maxLength: 128 }),
  },
  { additionalProperties: false },
);
export type AccountLogin = Static<typeof AccountLogin>;

export const RegisterPerson = Type.Object(
  {
    kind: Type.Literal('person'),
    name: Type.String({ minLength: 1, maxLength: 50, description: 'real name (实名)' }),
    residentId: Type.String({
      minLength: 18,
      maxLength: 18,
      description: '居民身份证号, checked by its check character',
    }),
    password: Password,
  },
  { additionalProperties: false },
);
export const RegisterEnterprise = Type.Object(
  {
    kind: Type.Literal('enterprise'),
    name: Type.String({ minLength: 1, maxLength: 100, description: 'registered enterprise name' }),
    creditCode: Type.String({
      minLength: 18,
      maxLength: 18,
      description: '统一社会信用代码, checked by its check character',
    }),
    password: Password,
  },
  { additionalProperties: false },
);
export const Register = Type.Union([RegisterPerson, RegisterEnterprise]);
export type Register = Static<typeof Register>;

export const ChangePassword = Type.Object(
  { currentPassword: Type.String({ minLength: 1, maxLength: 128 }), newPassword: Password },
  { additionalProperties: false },
);
export type ChangePassword = Static<typeof ChangePassword>;

export const SetPassword = Type.Object({ password: Password }, { additionalProperties: false });

export const StaffSession = Type.Object({
  kind: Type.Literal('staff'),
  staffId: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  departmentId: Type.Integer(),
  roles: Type.Array(Type.Object({ role: Type.String(), departmentId: Type.Integer() })),
  csrfToken: Type.String({ description: 'send as X-CSRF-Token on every state-changing request' }),
  expiresAt: Type.String({ format: 'date-time' }),
});

export const AccountSession = Type.Object({
  kind: Type.Union([Type.Literal('person'), Type.Literal('enterprise')]),
  accountId: Type.Integer(),
  displayName: Type.String(),
  identifierMasked: Type.String(),
  csrfToken: Type.String({ description: 'send as X-CSRF-Token on every state-changing request' }),
  expiresAt: Type.String({ format: 'date-time' }),
});

export const ApiClient = Type.Object({
  id: Type.Integer(),
  keyId: Type.String(),
  departmentId: Type.Integer(),
  name: Type.String(),
  alg: Type.String(),
  publicKey: Type.String(),
  status: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type ApiClient = Static<typeof ApiClient>;

export const CreateClient = Type.Object(
  {
    departmentId: Id,
    name: Type.String({ minLength: 1, maxLength: 100 }),
    alg: Type.Optional(Type.Union([Type.Literal('ed25519'), Type.Literal('sm2-sm3')])),
    publicKey: Type.Optional(
      Type.String({
        minLength: 40,
        maxLength: 4096,
        description: 'Ed25519 SPKI PEM, or SM2 uncompressed point in hex; omit to have one generated',
      }),
    ),
  },
  { additionalProperties: false },
);
export type CreateClient = Static<typeof CreateClient>;

export const CreatedClient = Type.Object({
  client: ApiClient,
  privateKey: Type.Optional(
    Type.String({ description: 'only when the server generated the key pair; shown once, never stored' }),
  ),
});

export const ClientQuery = Type.Object({ department: Type.Optional(Id) }, { additionalProperties: false });
export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });

export const ExchangeIdentity = Type.Object({
  keyId: Type.String(),
  clientId: Type.Integer(),
  clientName: Type.String(),
  departmentId: Type.Integer(),
  alg: Type.String(),
});
export const PingResponse = Type.Object({
  client: ExchangeIdentity,
  contentDigest: Type.Union([Type.String(), Type.Null()]),
  receivedBytes: Type.Integer(),
});
