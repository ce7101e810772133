// The flags s_client and s_server share (versions, ALPN, groups, suites, key log, PEM files, key
// passphrases), turned into @tls-kit/engine/node options.
import { appendFileSync } from 'node:fs';
import { loadCertificateChainPem, loadCertificatesPem, loadPrivateKeyPem } from '@tls-kit/certs';
import { createSecureContext, type SecureContextOptions } from '@tls-kit/engine/node';
import { type FlagValues, oneLine, parseList, readNamedFile, str, UsageError } from './args.js';
import { cipherSuitesFrom } from './cipher-flags.js';

/** Reads a file named by a flag; the error names the flag. */
export function readFlagFile(flags: FlagValues, name: string): string | undefined {
  return readFlagBytes(flags, name)?.toString('utf8');
}

/** The bytes of the file a flag names (DER), or undefined without the flag. */
export function readFlagBytes(flags: FlagValues, name: string): Buffer | undefined {
  const path = str(flags, name);
  return path === undefined ? undefined : readNamedFile(path, `--${name} ${path}`);
}

/** The file a flag names, checked by `check`; any fault is one line naming the flag and the file. */
function readChecked(flags: FlagValues, name: string, check: (text: string) => void): string | undefined {
  const text = readFlagFile(flags, name);
  if (text === undefined) return undefined;
  try {
    if (text.trim() === '') throw new Error('the file is empty');
    check(text);
  } catch (error) {
    throw new Error(`--${name} ${str(flags, name)}: ${oneLine(error)}`);
  }
  return text;
}

/** PEM certificates (at least one) from the file a flag names, e.g. --CAfile or --cert. */
export function readCertificatesFlag(flags: FlagValues, name: string): string | undefined {
  return readChecked(flags, name, (text) => {
    if (loadCertificatesPem(text).length === 0) throw new Error('no certificate in it');
  });
}

/**
 * A certificate chain flag and its key flag (and passphrase flag): each file checked, then the
 * pair (the key must be the leaf's). Undefined when neither flag is given.
 */
export function readChainFlags(
  flags: FlagValues,
  names: { cert: string; key: string; pass: string; more?: string },
): { cert: string; key: string; passphrase?: string } | undefined {
  if (str(flags, names.cert) === undefined && str(flags, names.key) === undefined) return undefined;
  if (str(flags, names.cert) === undefined || str(flags, names.key) === undefined)
    throw new UsageError(`--${names.cert} and --${names.key} go together`);
  const passphrase = passphraseFrom(flags, names.pass);
  const withPass = passphrase === undefined ? {} : { passphrase };
  const more = names.more ? readCertificatesFlag(flags, names.more) : undefined;
  const cert = [readCertificatesFlag(flags, names.cert)!, ...(more ? [more] : [])].join('\n');
  const key = readChecked(flags, names.key, (text) => loadPrivateKeyPem(text, withPass))!;
  try {
    loadCertificateChainPem(cert, { key, ...withPass });
  } catch (error) {
    const files = [names.cert, ...(more ? [names.more!] : []), names.key].map(
      (n) => `--${n} ${str(flags, n)}`,
    );
    throw new Error(`${files.join(' ')}: ${oneLine(error)}`);
  }
  return { cert, key, ...withPass };
}

/** The passphrase a flag names (`pass:`, `env:` or `file:`, as openssl), or undefined when not given. */
export function passphraseFrom(flags: FlagValues, name: string): string | undefined {
  const source = str(flags, name);
  if (source === undefined) return undefined;
  const colon = source.indexOf(':');
  const kind = source.slice(0, colon);
  const arg = source.slice(colon + 1);
  if (colon > 0 && kind === 'pass') return arg;
  if (colon > 0 && kind === 'env') {
    const value = process.env[arg];
    if (value === undefined) throw new UsageError(`--${name} env:${arg}: the variable is not set`);
    return value;
  }
  if (colon > 0 && kind === 'file') {
    const text = readFlagFile({ [name]: arg }, name)!;
    return text.split(/\r?\n/, 1)[0]!;
  }
  throw new UsageError(`--${name} wants pass:PASSWORD, env:VAR or file:PATH`);
}

/** The version, ALPN, group and suite flags as node:tls-style options. */
export function negotiationOptions(flags: FlagValues): SecureContextOptions {
  if (flags.tls1_2 && flags.tls1_3) throw new UsageError('--tls1_2 and --tls1_3 exclude each other');
  const version = flags.tls1_2 ? 'TLSv1.2' : flags.tls1_3 ? 'TLSv1.3' : undefined;
  const alpn = str(flags, 'alpn');
  const groups = str(flags, 'groups');
  const suites = cipherSuitesFrom(str(flags, 'cipher'), str(flags, 'ciphersuites'));
  return {
    ...(version ? { minVersion: version, maxVersion: version } : {}),
    ...(alpn ? { ALPNProtocols: parseList(alpn, 'alpn') } : {}),
    ...(groups ? { ecdhCurve: groupsFlag(groups) } : {}),
    ...(suites ? { ciphers: suites.join(':') } : {}),
  };
}

/** --groups as an ecdhCurve list; a name that is no group is a usage error (as --cipher's). */
function groupsFlag(text: string): string {
  const ecdhCurve = parseList(text, 'groups').join(':');
  try {
    createSecureContext({ ecdhCurve });
  } catch (error) {
    throw new UsageError(`--groups: ${oneLine(error)}`);
  }
  return ecdhCurve;
}

/** A key log sink appending to --keylogfile (created 0600: the lines are secrets), or undefined. */
export function keylogSink(flags: FlagValues): ((line: Buffer) => void) | undefined {
  const path = str(flags, 'keylogfile');
  if (path === undefined) return undefined;
  appendFileSync(path, '', { mode: 0o600 });
  return (line) => appendFileSync(path, line);
}
