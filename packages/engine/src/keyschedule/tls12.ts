// The TLS 1.2 key schedule, all on the PRF of RFC 5246 §5 with the suite's hash:
//   master_secret = PRF(pre_master_secret, "master secret", ClientHello.random + ServerHello.random)
//   or, with extended_master_secret (RFC 7627 §4),
//   master_secret = PRF(pre_master_secret, "extended master secret", session_hash)
//   key_block = PRF(master_secret, "key expansion", server_random + client_random) (RFC 5246 §6.3)
//   verify_data = PRF(master_secret, finished_label, Hash(handshake_messages))[0..11] (§7.4.9)
import { type CryptoProvider, tls12Prf } from '@tls-kit/crypto';
import { concat } from '@tls-kit/crypto/bytes';
import type { Tls12CipherSuite } from '../suites.js';

export const MASTER_SECRET_LENGTH = 48;
export const VERIFY_DATA_LENGTH = 12;

/** The master secret; `sessionHash` present means extended_master_secret (RFC 7627 §4). */
export function masterSecret12(
  provider: CryptoProvider,
  suite: Tls12CipherSuite,
  preMasterSecret: Uint8Array,
  clientRandom: Uint8Array,
  serverRandom: Uint8Array,
  sessionHash: Uint8Array | undefined,
): Uint8Array {
  if (sessionHash) {
    return tls12Prf(
      provider,
      suite.hash,
      preMasterSecret,
      'extended master secret',
      sessionHash,
      MASTER_SECRET_LENGTH,
    );
  }
  return tls12Prf(
    provider,
    suite.hash,
    preMasterSecret,
    'master secret',
    concat([clientRandom, serverRandom]),
    MASTER_SECRET_LENGTH,
  );
}

export interface KeyBlock12 {
  readonly clientKey: Uint8Array;
  readonly serverKey: Uint8Array;
  /** client_write_IV: the GCM salt (RFC 5288 §3) or the ChaCha20 IV (RFC 7905 §2). */
  readonly clientIv: Uint8Array;
  readonly serverIv: Uint8Array;
}

/** RFC 5246 §6.3; AEAD suites have no MAC keys (§6.2.3.3). */
export function keyBlock12(
  provider: CryptoProvider,
  suite: Tls12CipherSuite,
  master: Uint8Array,
  clientRandom: Uint8Array,
  serverRandom: Uint8Array,
): KeyBlock12 {
  const k = suite.keyLength;
  const iv = suite.fixedIvLength;
  const block = tls12Prf(
    provider,
    suite.hash,
    master,
    'key expansion',
    concat([serverRandom, clientRandom]),
    2 * (k + iv),
  );
  return {
    clientKey: block.slice(0, k),
    serverKey: block.slice(k, 2 * k),
    clientIv: block.slice(2 * k, 2 * k + iv),
    serverIv: block.slice(2 * k + iv, 2 * (k + iv)),
  };
}

/** Finished.verify_data (RFC 5246 §7.4.9). */
export function finishedVerifyData12(
  provider: CryptoProvider,
  suite: Tls12CipherSuite,
  master: Uint8Array,
  sender: 'client' | 'server',
  handshakeHash: Uint8Array,
): Uint8Array {
  return tls12Prf(provider, suite.hash, master, `${sender} finished`, handshakeHash, VERIFY_DATA_LENGTH);
}
