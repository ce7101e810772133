// The flags s_client, s_server and demo share, as declared for the parser and the usage. Kept
// apart from their meaning (tls-flags.ts) so that `--help` loads no TLS code.
import { type FlagSpec, fileFlag } from './args.js';

export const VERSION_FLAGS: Record<string, FlagSpec> = {
  tls1_2: { type: 'boolean', help: 'TLS 1.2 only' },
  tls1_3: { type: 'boolean', help: 'TLS 1.3 only' },
};

export const NEGOTIATION_FLAGS: Record<string, FlagSpec> = {
  alpn: { type: 'string', value: 'a,b', help: 'ALPN protocols, in preference order' },
  groups: {
    type: 'string',
    value: 'g1,g2',
    help: 'key exchange groups: X25519, X448, P-256, P-384, P-521, X25519MLKEM768',
  },
  ciphersuites: {
    type: 'string',
    value: 's1:s2',
    help: 'TLS 1.3 cipher suites, e.g. TLS_AES_128_GCM_SHA256 (TLS 1.2: --cipher)',
  },
  cipher: {
    type: 'string',
    value: 'LIST',
    help: 'TLS 1.2 cipher suites, an openssl cipher string: ECDHE-ECDSA-AES128-GCM-SHA256, ECDHE+AESGCM:!aRSA, ...',
  },
  keylogfile: fileFlag('append NSS key log lines (SSLKEYLOGFILE format) to FILE'),
};

/** A passphrase flag in openssl's pass-phrase argument syntax (openssl-passphrase-options(1)). */
export function passFlag(key: string): FlagSpec {
  return {
    type: 'string',
    value: 'SOURCE',
    help: `passphrase of an encrypted ${key}: pass:PASSWORD, env:VAR or file:PATH (its first line)`,
  };
}
