// The two crypto profiles of a log (fixed when the log is created): SHA-256 + Ed25519, or SM3 + SM2.
import { createHash, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { sm2 } from 'sm-crypto-v2';
import { generateKeyPair, SM2_USER_ID } from '../../platform/crypto.ts';
import type { SyncHash } from './merkle.ts';
import { concat, type LedgerCrypto, type Profile, SIGNATURE_TYPES, toBase64, utf8 } from './verify.ts';

export interface ProfileCrypto extends LedgerCrypto {
  readonly profile: Profile;
  readonly hashSync: SyncHash;
}

const sha256: SyncHash = (data) => createHash('sha256').update(data).digest();
const sm3: SyncHash = (data) => createHash('sm3').update(data).digest();

function ed25519Raw(spkiPem: string): Uint8Array {
  const jwk = createPublicKey(spkiPem).export({ format: 'jwk' });
  return Buffer.from(String(jwk.x), 'base64url');
}

function ed25519FromRaw(raw: Uint8Array) {
  return createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') },
    format: 'jwk',
  });
}

export function profileCrypto(profile: Profile): ProfileCrypto {
  if (profile === 'sha256-ed25519') {
    return {
      profile,
      hashSync: sha256,
      hash: async (d) => sha256(d),
      verify: async (pub, msg, sig) => {
        try {
          return sig.length === 64 && verify(null, msg, ed25519FromRaw(pub), sig);
        } catch {
          return false;
        }
      },
    };
  }
  return {
    profile,
    hashSync: sm3,
    hash: async (d) => sm3(d),
    verify: async (pub, msg, sig) => {
      try {
        return (
          sig.length === 64 &&
          sm2.doVerifySignature(msg, Buffer.from(sig).toString('hex'), Buffer.from(pub).toString('hex'), {
            hash: true,
            userId: SM2_USER_ID,
          })
        );
      } catch {
        return false;
      }
    },
  };
}

export interface LogKey {
  readonly name: string;
  readonly profile: Profile;
  /** Raw public key: 32 bytes Ed25519, or the 65-byte uncompressed SM2 point. */
  readonly publicKey: Uint8Array;
  /** PKCS#8 PEM (Ed25519) or hex scalar (SM2). */
  readonly privateKey: string;
}

export function generateLogKey(name: string, profile: Profile): LogKey {
  const pair = generateKeyPair(profile === 'sha256-ed25519' ? 'ed25519' : 'sm2-sm3');
  const publicKey = profile === 'sha256-ed25519' ? ed25519Raw(pair.publicKey) : Buffer.from(pair.publicKey, 'hex');
  return { name, profile, publicKey, privateKey: pair.privateKey };
}

/** key ID = SHA-256(name ‖ 0x0A ‖ type ‖ public key)[:4], big-endian (C2SP signed-note). */
export function keyId(key: Pick<LogKey, 'name' | 'profile' | 'publicKey'>): number {
  const h = sha256(concat(utf8(`${key.name}\n`), SIGNATURE_TYPES[key.profile], key.publicKey));
  return Buffer.from(h).readUInt32BE(0);
}

export function verifierKey(key: Pick<LogKey, 'name' | 'profile' | 'publicKey'>): string {
  const id = keyId(key).toString(16).padStart(8, '0');
  return `${key.name}+${id}+${toBase64(concat(SIGNATURE_TYPES[key.profile], key.publicKey))}`;
}

/** Signs note text (ending in a newline) and returns the signed note. */
export function signNote(key: LogKey, text: string): string {
  const message = utf8(text);
  const signature =
    key.profile === 'sha256-ed25519'
      ? sign(null, message, createPrivateKey(key.privateKey))
      : Buffer.from(sm2.doSignature(message, key.privateKey, { hash: true, userId: SM2_USER_ID }), 'hex');
  const id = Buffer.alloc(4);
  id.writeUInt32BE(keyId(key));
  return `${text}\n\u2014 ${key.name} ${toBase64(concat(id, signature))}\n`;
}
