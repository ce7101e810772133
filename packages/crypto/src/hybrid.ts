// X25519MLKEM768 (codepoint 0x11EC), draft-ietf-tls-ecdhe-mlkem §3.1: client share = ML-KEM-768
// encapsulation key (1184) || X25519 share (32); server share = ML-KEM ciphertext (1088) ||
// X25519 share (32); shared secret = ML-KEM secret || X25519 secret. (@noble/curves'
// ml_kem768_x25519 is X-Wing, a different construction.) Each provider brings its ML-KEM-768
// (node 20's crypto has none: the node provider's is ./ml-kem768.ts over node:crypto's SHA-3, the
// noble provider's @noble/post-quantum) and its own X25519.
import { concat } from './bytes.js';
import { CryptoError, InvalidKeyShareError } from './errors.js';
import type { MlKem768 } from './ml-kem768.js';
import { cryptoRandomBytes } from './policy.js';
import type { KeyExchangeInitiator, KeyExchangeResponse } from './provider.js';

const EK_LENGTH = 1184;
const CT_LENGTH = 1088;
const X25519_LENGTH = 32;
/** A known-answer private key is the 64-byte ML-KEM keygen seed (d || z) || 32-byte X25519 key. */
const KAT_PRIVATE_LENGTH = 64 + X25519_LENGTH;

export function startX25519MlKem768(
  kem: MlKem768,
  startX25519: (privateKey?: Uint8Array) => KeyExchangeInitiator,
  privateKey?: Uint8Array,
): KeyExchangeInitiator {
  if (privateKey !== undefined && privateKey.length !== KAT_PRIVATE_LENGTH) {
    throw new CryptoError(`X25519MLKEM768 private key must be ${KAT_PRIVATE_LENGTH} bytes`);
  }
  const keys = kem.keygen(privateKey?.subarray(0, 64) ?? cryptoRandomBytes(64));
  const ecdh = startX25519(privateKey?.subarray(64));
  return {
    group: 'x25519mlkem768',
    publicKey: concat([keys.publicKey, ecdh.publicKey]),
    classical: ecdh,
    complete(peerPublicKey) {
      // The client checks the ciphertext length (draft §3.1.2): illegal_parameter.
      if (peerPublicKey.length !== CT_LENGTH + X25519_LENGTH) {
        throw new InvalidKeyShareError(
          `X25519MLKEM768 server share must be ${CT_LENGTH + X25519_LENGTH} bytes`,
        );
      }
      const ecdhSecret = ecdh.complete(peerPublicKey.subarray(CT_LENGTH));
      let kemSecret: Uint8Array;
      try {
        kemSecret = kem.decapsulate(peerPublicKey.subarray(0, CT_LENGTH), keys.secretKey);
      } catch (cause) {
        // Any other decapsulation failure is internal_error (draft §3.1.2).
        throw new CryptoError('ML-KEM decapsulation failed', { cause });
      }
      return concat([kemSecret, ecdhSecret]);
    },
  };
}

export function respondX25519MlKem768(
  kem: MlKem768,
  respondX25519: (peerPublicKey: Uint8Array) => KeyExchangeResponse,
  peerPublicKey: Uint8Array,
): KeyExchangeResponse {
  if (peerPublicKey.length !== EK_LENGTH + X25519_LENGTH) {
    throw new InvalidKeyShareError(`X25519MLKEM768 client share must be ${EK_LENGTH + X25519_LENGTH} bytes`);
  }
  const ecdh = respondX25519(peerPublicKey.subarray(EK_LENGTH));
  let encapsulated: { cipherText: Uint8Array; sharedSecret: Uint8Array };
  try {
    // encapsulate() performs the FIPS 203 §7.2 encapsulation key (modulus) check.
    encapsulated = kem.encapsulate(peerPublicKey.subarray(0, EK_LENGTH), cryptoRandomBytes(32));
  } catch (cause) {
    throw new InvalidKeyShareError('invalid ML-KEM-768 encapsulation key', { cause });
  }
  return {
    publicKey: concat([encapsulated.cipherText, ecdh.publicKey]),
    sharedSecret: concat([encapsulated.sharedSecret, ecdh.sharedSecret]),
  };
}
