import { Type } from 'typebox';

const Index = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
const Hash = Type.String({ description: 'base64 (standard encoding)' });

export const IndexParams = Type.Object({ index: Index }, { additionalProperties: false });
export const InclusionQuery = Type.Object(
  { index: Index, size: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) },
  { additionalProperties: false },
);
export const ConsistencyQuery = Type.Object({ from: Index, to: Index }, { additionalProperties: false });
export const ReceiptParams = Type.Object(
  { id: Type.String({ pattern: '^[A-Za-z0-9_-]{8,64}$' }) },
  { additionalProperties: false },
);

export const VerifierKeyResponse = Type.Object({
  verifierKey: Type.String({
    description: 'signed-note verifier key: <name>+<hex key id>+<base64(type ‖ public key)>',
  }),
  profile: Type.Union([Type.Literal('sha256-ed25519'), Type.Literal('sm3-sm2')]),
  origin: Type.String(),
});
export const LeafResponse = Type.Object({
  index: Type.Integer(),
  leafHash: Hash,
  leaf: Type.String({ description: 'base64 of the exact bytes hashed' }),
});
export const InclusionResponse = Type.Object({ index: Type.Integer(), size: Type.Integer(), hashes: Type.Array(Hash) });
export const ConsistencyResponse = Type.Object({ from: Type.Integer(), to: Type.Integer(), hashes: Type.Array(Hash) });

export const ReceiptResponse = Type.Object({
  receiptId: Type.String(),
  profile: Type.String(),
  index: Type.Integer(),
  entry: Type.Object({
    type: Type.String(),
    time: Type.String(),
    zone: Type.String(),
    actor: Type.String(),
    subject: Type.String(),
    payload: Type.String({ description: 'the exact text whose salted digest the leaf holds' }),
    salt: Hash,
  }),
  leaf: Type.String(),
  leafHash: Hash,
  inclusion: Type.Object({ size: Type.Integer(), hashes: Type.Array(Hash) }),
  checkpoint: Type.String({ description: 'the signed checkpoint the inclusion proof leads to' }),
});

export const ReceiptSummary = Type.Object({
  receiptId: Type.String(),
  index: Type.Integer(),
  type: Type.String(),
  time: Type.String(),
  subject: Type.String(),
});
