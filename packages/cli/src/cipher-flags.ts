// -cipher and -ciphersuites as openssl reads them (openssl-ciphers(1)): -ciphersuites lists TLS 1.3
// suites by name; -cipher is a TLS 1.2 cipher string of suite names (openssl's or IANA's) and
// aliases (ECDHE, aECDSA, AESGCM, CHACHA20, HIGH, ...), joined with '+' (all of them), prefixed
// with '!' or '-' (remove), '+' (move: order is ours here) or '@' (ignored: SECLEVEL, STRENGTH).
// An entry that matches none of our suites is a usage error, as is a list that leaves none.
import { TLS12_SUITES, TLS13_SUITES, type Tls12CipherSuite } from '@tls-kit/engine';
import { UsageError } from './args.js';

const AEAD_NAMES: Record<Tls12CipherSuite['aead'], string> = {
  'aes-128-gcm': 'AES128-GCM-SHA256',
  'aes-256-gcm': 'AES256-GCM-SHA384',
  'chacha20-poly1305': 'CHACHA20-POLY1305',
};

/** openssl's name of a TLS 1.2 suite: ECDHE-ECDSA-AES128-GCM-SHA256 for 0xc02b. */
export function opensslSuiteName(suite: Tls12CipherSuite): string {
  return `${suite.kx.toUpperCase()}-${suite.auth.toUpperCase()}-${AEAD_NAMES[suite.aead]}`;
}

/** The aliases of openssl-ciphers(1) each suite answers to (RSA alone means kRSA there: none of ours). */
function aliases(suite: Tls12CipherSuite): Set<string> {
  const kx = suite.kx === 'ecdhe' ? ['ECDHE', 'EECDH', 'kECDHE', 'kEECDH'] : ['DHE', 'EDH', 'kDHE', 'kEDH'];
  const auth = suite.auth === 'ecdsa' ? ['aECDSA', 'ECDSA'] : ['aRSA'];
  const cipher =
    suite.aead === 'chacha20-poly1305'
      ? ['CHACHA20']
      : ['AES', 'AESGCM', suite.aead === 'aes-128-gcm' ? 'AES128' : 'AES256'];
  const hash = suite.hash === 'sha384' ? 'SHA384' : 'SHA256';
  return new Set([
    suite.name,
    opensslSuiteName(suite),
    ...['ALL', 'DEFAULT', 'HIGH', 'AEAD', 'TLSv1.2', hash],
    ...kx,
    ...auth,
    ...cipher,
  ]);
}

/** The suites one entry names ('ECDHE+AESGCM': those with every part). */
function matching(entry: string): Tls12CipherSuite[] {
  const parts = entry.split('+');
  return TLS12_SUITES.filter((suite) => {
    const names = aliases(suite);
    return parts.every((part) => names.has(part));
  });
}

/** A -cipher string -> the IANA names of the TLS 1.2 suites it selects, in our preference order. */
export function tls12SuitesFrom(text: string, flag: string): string[] {
  const chosen = new Set<Tls12CipherSuite>();
  const banned = new Set<Tls12CipherSuite>();
  for (const token of text.split(/[:,\s]+/).filter((t) => t !== '')) {
    if (token.startsWith('@')) continue;
    const op = /^[!+-]/.test(token) ? token[0] : '';
    const entry = op ? token.slice(1) : token;
    const suites = matching(entry);
    if (op === '') {
      if (TLS13_SUITES.some((s) => s.name === entry))
        throw new UsageError(`--${flag}: ${entry} is a TLS 1.3 suite (those go in --ciphersuites)`);
      if (suites.length === 0) throw new UsageError(`--${flag}: '${entry}' matches no cipher suite we have`);
      for (const s of suites) if (!banned.has(s)) chosen.add(s);
    } else if (op === '!' || op === '-') {
      for (const s of suites) {
        chosen.delete(s);
        if (op === '!') banned.add(s);
      }
    }
  }
  if (chosen.size === 0) throw new UsageError(`--${flag} '${text}' leaves no cipher suite`);
  return TLS12_SUITES.filter((s) => chosen.has(s)).map((s) => s.name);
}

/** A -ciphersuites list -> TLS 1.3 suite names (exact names, as openssl takes them). */
export function tls13SuitesFrom(text: string, flag: string): string[] {
  const names = text.split(/[:,\s]+/).filter((t) => t !== '');
  for (const name of names) {
    if (TLS13_SUITES.some((s) => s.name === name)) continue;
    const hint = matching(name).length > 0 ? ' (a TLS 1.2 suite: those go in --cipher)' : '';
    throw new UsageError(
      `--${flag}: unknown TLS 1.3 cipher suite '${name}'${hint}; known: ${TLS13_SUITES.map((s) => s.name).join(', ')}`,
    );
  }
  if (names.length === 0) throw new UsageError(`--${flag} is empty`);
  return names;
}

/**
 * The engine's suite list for -cipher and -ciphersuites: each sets its own version's suites and
 * leaves the other version's at our defaults (undefined when neither flag is given).
 */
export function cipherSuitesFrom(cipher: string | undefined, ciphersuites: string | undefined) {
  if (cipher === undefined && ciphersuites === undefined) return undefined;
  return [
    ...(ciphersuites === undefined
      ? TLS13_SUITES.map((s) => s.name)
      : tls13SuitesFrom(ciphersuites, 'ciphersuites')),
    ...(cipher === undefined ? TLS12_SUITES.map((s) => s.name) : tls12SuitesFrom(cipher, 'cipher')),
  ];
}
