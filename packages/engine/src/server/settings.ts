// What ServerTLS resolves once and hands to each server connection's handshake, for TLS 1.3 and
// TLS 1.2 (the 1.2 part only when 1.2 is enabled).
import type { Certificate, ServerCertificates, TrustStore } from '@tls-kit/certs';
import type { DhParameters, NamedGroupName } from '@tls-kit/crypto';
import type { PskCallback } from '../external-psk.js';
import type { OcspResponder } from '../handshake/ocsp.js';
import type { VerifyCallback } from '../verify-callback.js';
import type { AlpnCallback } from './alpn.js';
import type { ServerSessionCache } from './session-cache.js';
import type { TicketKeys } from './ticket-keys.js';

export interface ServerSettings {
  readonly certificates: ServerCertificates;
  /** Further sources, tried when `certificates` has no chain the client can verify (key type). */
  readonly moreCertificates: readonly ServerCertificates[];
  readonly clientAuth: 'none' | 'request' | 'require';
  readonly clientTrustStore: TrustStore | undefined;
  /** DistinguishedName DER values for certificate_authorities in CertificateRequest. */
  readonly certificateAuthorities: readonly Uint8Array[];
  /** ServerOptions.clientTrustRootFor (see forServedChain). */
  readonly clientTrustRootFor: ((chain: readonly Certificate[]) => TrustStore | undefined) | undefined;
  readonly verifyCallback: VerifyCallback | undefined;
  readonly ticketKeys: TicketKeys | undefined;
  /** ServerOptions.pskCallback: external PSKs (RFC 8446 §4.2.11). */
  readonly pskCallback: PskCallback | undefined;
  /** ServerOptions.alpnCallback (RFC 7301 §3.2). */
  readonly alpnCallback: AlpnCallback | undefined;
  readonly ticketCount: number;
  readonly ticketLifetimeSeconds: number;
  /** ServerOptions.preferClientCipherOrder. */
  readonly preferClientCipherOrder: boolean;
  /** Always send a HelloRetryRequest with a cookie first (tests; DoS-style address validation). */
  readonly forceHelloRetry: boolean;
  /** ServerOptions.ocspResponse. */
  readonly ocspResponse: OcspResponder | undefined;
  /** Bytes of rejected 0-RTT data we skip (RFC 8446 §4.2.10). */
  readonly maxSkippedEarlyData: number;
  /** TLS 1.2 settings when 1.2 is enabled (server/handshake12.ts). */
  readonly tls12?: Server12Settings;
}

/** What ServerTLS adds for TLS 1.2. */
export interface Server12Settings {
  /** The design's dh_params, parsed; without them DHE uses an RFC 7919 group. */
  readonly dhParams: DhParameters | undefined;
  /** Sessions by ID; undefined turns session-ID resumption off. */
  readonly sessionCache: ServerSessionCache | undefined;
  /** RFC 7919 groups DHE may use, our preference first (see ffdheGroups12). */
  readonly ffdheGroups: readonly FfdheGroup[];
}

const FFDHE_GROUPS = ['ffdhe2048', 'ffdhe3072', 'ffdhe4096'] as const;
export type FfdheGroup = (typeof FFDHE_GROUPS)[number];

/**
 * The RFC 7919 groups our DHE suites may use: those in the `groups` option, in its order; when
 * the option is not given (its default names none), all three, smallest first.
 */
export function ffdheGroups12(groups: readonly NamedGroupName[] | undefined): readonly FfdheGroup[] {
  return groups === undefined
    ? FFDHE_GROUPS
    : groups.filter((g): g is FfdheGroup => (FFDHE_GROUPS as readonly string[]).includes(g));
}

/**
 * The suites a server chooses from, best first (RFC 8446 §4.1.1 and RFC 5246 §7.4.1.2 leave the
 * choice to the server): ours in our order, or with `preferClient` those the client offers in its
 * order (what OpenSSL does without SSL_OP_CIPHER_SERVER_PREFERENCE).
 */
export function suitesByPreference<Suite extends { readonly id: number }>(
  ours: readonly Suite[],
  offered: readonly number[],
  preferClient: boolean,
): readonly Suite[] {
  if (!preferClient) return ours;
  return offered.flatMap((id) => ours.filter((s) => s.id === id));
}

const authorityNamesOf = new WeakMap<TrustStore, readonly Uint8Array[]>();

/** The DistinguishedName DER values of `store`'s roots, for certificate_authorities (RFC 8446 §4.2.4). */
export function authorityNames(store: TrustStore | undefined): readonly Uint8Array[] {
  if (!store) return [];
  let names = authorityNamesOf.get(store);
  if (!names) {
    names = store.certificates.map((c) => c.subject.der);
    authorityNamesOf.set(store, names);
  }
  return names;
}

/**
 * The settings of a connection once `chain` is the one it serves: the roots clientTrustRootFor
 * gives for that chain (per-name client CAs) ask for and judge the client's certificate.
 */
export function forServedChain(settings: ServerSettings, chain: readonly Certificate[]): ServerSettings {
  const store = settings.clientAuth === 'none' ? undefined : settings.clientTrustRootFor?.(chain);
  if (!store || store === settings.clientTrustStore) return settings;
  return { ...settings, clientTrustStore: store, certificateAuthorities: authorityNames(store) };
}
