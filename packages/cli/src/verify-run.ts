// `tls-kit verify` once its flags are parsed: the chains checked with @tls-kit/certs.
import { readFileSync } from 'node:fs';
import {
  type Certificate,
  CertificateError,
  CertificateRevocationList,
  type CrlCheck,
  loadCertificatesPem,
  type Profile,
  type Purpose,
  TrustStore,
  verifyChain,
} from '@tls-kit/certs';

/** What `tls-kit verify`'s flags asked for (parsed by commands/verify.ts). */
export interface Options {
  caFile: string | undefined;
  untrusted: string[];
  crlFiles: string[];
  crlCheck: CrlCheck | undefined;
  hostname: string | undefined;
  purpose: Purpose;
  profile: Profile;
  maxChainDepth: number | undefined;
  time: Date | undefined;
  showChain: boolean;
  leafFiles: string[];
}

function readCertificates(path: string): Certificate[] {
  const certificates = loadCertificatesPem(readFileSync(path, 'utf8'));
  if (certificates.length === 0) throw new CertificateError('no certificate found');
  return certificates;
}

function readCrls(path: string): CertificateRevocationList[] {
  const bytes = new Uint8Array(readFileSync(path));
  const crls = CertificateRevocationList.load(bytes);
  if (crls.length === 0) throw new CertificateError('no CRL found');
  return crls;
}

/** Unreadable files and malformed PEM/DER are reported as text; anything else is a bug. */
function reportable(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (e instanceof CertificateError || err.code !== undefined) return err.message;
  throw e;
}

/** A file that cannot be used, named in the `error FILE: what` line. */
class FileError extends Error {
  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    super(reportable(cause));
  }
}

function readFile<T>(file: string, read: (path: string) => T): T {
  try {
    return read(file);
  } catch (e) {
    throw new FileError(file, e);
  }
}

/** Verifies each leaf file: 0 when all verify, 2 otherwise (errors on stderr, one line each). */
export function verifyFiles(options: Options): number {
  let shared: { trustStore: TrustStore; untrusted: Certificate[]; crls: CertificateRevocationList[] };
  try {
    shared = {
      trustStore:
        options.caFile === undefined
          ? TrustStore.system()
          : new TrustStore(readFile(options.caFile, readCertificates)),
      untrusted: options.untrusted.flatMap((f) => readFile(f, readCertificates)),
      crls: options.crlFiles.flatMap((f) => readFile(f, readCrls)),
    };
  } catch (e) {
    if (!(e instanceof FileError)) throw e;
    console.error(`error ${e.file}: ${e.message}`);
    return 2;
  }
  let failed = false;
  for (const file of options.leafFiles) {
    try {
      const [leaf, ...extra] = readCertificates(file);
      const result = verifyChain({
        leaf: leaf!,
        intermediates: [...extra, ...shared.untrusted],
        trustStore: shared.trustStore,
        purpose: options.purpose,
        profile: options.profile,
        hostname: options.hostname,
        time: options.time,
        crls: shared.crls,
        crlCheck: options.crlCheck,
        maxChainDepth: options.maxChainDepth,
      });
      if (!result.ok) {
        failed = true;
        console.error(`error ${file}: ${result.reason}: ${result.message}`);
        continue;
      }
      console.log(`${file}: OK`);
      if (options.showChain) {
        for (const [depth, c] of result.chain.entries()) console.log(`depth=${depth}: ${c.subject}`);
      }
    } catch (e) {
      failed = true;
      console.error(`error ${file}: ${reportable(e)}`);
    }
  }
  return failed ? 2 : 0;
}
