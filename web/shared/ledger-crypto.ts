// The ledger verifier's crypto in the browser: WebCrypto for SHA-256 and Ed25519; SM3/SM2 from sm-crypto-v2,
// loaded only when a log uses the national profile.
import type { LedgerCrypto, Profile } from '../../src/modules/ledger/verify.ts';

const SM2_USER_ID = '1234567812345678';
const toHex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const copy = (b: Uint8Array) => new Uint8Array(b); // a plain ArrayBuffer-backed view for WebCrypto

export async function browserCrypto(profile: Profile): Promise<LedgerCrypto> {
  if (profile === 'sha256-ed25519') {
    return {
      hash: async (data) => new Uint8Array(await crypto.subtle.digest('SHA-256', copy(data))),
      verify: async (publicKey, message, signature) => {
        try {
          const key = await crypto.subtle.importKey('raw', copy(publicKey), { name: 'Ed25519' }, false, ['verify']);
          return await crypto.subtle.verify({ name: 'Ed25519' }, key, copy(signature), copy(message));
        } catch {
          return false;
        }
      },
    };
  }
  const { sm2, sm3 } = await import('sm-crypto-v2');
  return {
    hash: async (data) => {
      const hex = sm3(data);
      return new Uint8Array(hex.match(/../g)?.map((h) => Number.parseInt(h, 16)) ?? []);
    },
    verify: async (publicKey, message, signature) => {
      try {
        return sm2.doVerifySignature(message, toHex(signature), toHex(publicKey), { hash: true, userId: SM2_USER_ID });
      } catch {
        return false;
      }
    },
  };
}
