// The TLS 1.3 key schedule as typed stages (RFC 8446 §7.1): each stage can only produce the
// secrets of its stage and the next stage, so a secret cannot be derived out of order; a stage
// that produced the next one is consumed (the handshake state that owned it hands the next one on)
// and refuses any further use, so no secret of an earlier stage is derived after the move.
//
//   0 -> HKDF-Extract(PSK) = EarlySecret -> Derive-Secret("derived")
//     -> HKDF-Extract((EC)DHE) = HandshakeSecret -> Derive-Secret("derived")
//     -> HKDF-Extract(0) = MasterSecret

import { InvalidatedError } from '@tls-kit/certs';
import { type CryptoProvider, deriveSecret, type HashAlgorithm, hkdfExpandLabel } from '@tls-kit/crypto';
import type { CipherSuite } from '../suites.js';

const EMPTY = new Uint8Array(0);

/**
 * What the schedule computes from constants alone, once per provider and hash instead of in every
 * handshake: Transcript-Hash("") and, for a full handshake (the all-zero PSK), the early secret and its
 * Derive-Secret(., "derived", ""). Public values (anyone can compute them), never handed out to be
 * changed.
 */
interface ScheduleConstants {
  readonly emptyHash: Uint8Array;
  zeroPskEarly?: Uint8Array;
  zeroPskDerived?: Uint8Array;
}

const constantsByProvider = new WeakMap<CryptoProvider, Map<HashAlgorithm, ScheduleConstants>>();

function constantsOf(provider: CryptoProvider, hash: HashAlgorithm): ScheduleConstants {
  let byHash = constantsByProvider.get(provider);
  if (!byHash) {
    byHash = new Map();
    constantsByProvider.set(provider, byHash);
  }
  let constants = byHash.get(hash);
  if (!constants) {
    constants = { emptyHash: provider.hash(hash, EMPTY) };
    byHash.set(hash, constants);
  }
  return constants;
}

abstract class Stage {
  private consumed = false;

  constructor(
    protected readonly provider: CryptoProvider,
    readonly suite: CipherSuite,
    protected readonly secret: Uint8Array,
  ) {}

  protected derive(label: string, transcriptHash: Uint8Array): Uint8Array {
    this.assertUnconsumed();
    return deriveSecret(this.provider, this.suite.hash, this.secret, label, transcriptHash);
  }

  private assertUnconsumed(): void {
    if (this.consumed) throw new InvalidatedError('a key schedule stage used after it was advanced');
  }

  protected get emptyHash(): Uint8Array {
    return constantsOf(this.provider, this.suite.hash).emptyHash;
  }

  /** Derive-Secret(., "derived", ""), the next stage's salt. */
  protected derivedSalt(): Uint8Array {
    return this.derive('derived', this.emptyHash);
  }

  /** Derive-Secret(., "derived", "") then HKDF-Extract with `ikm` (zeros when absent). */
  protected next(ikm: Uint8Array | undefined): Uint8Array {
    return this.provider.hkdfExtract(
      this.suite.hash,
      this.derivedSalt(),
      ikm ?? new Uint8Array(this.suite.hashLength),
    );
  }

  /** The next stage's secret (see next), once: this stage is consumed by it. */
  protected advance(ikm: Uint8Array | undefined): Uint8Array {
    // Checked here too: a full handshake's early stage takes its salt from the cached constants.
    this.assertUnconsumed();
    const secret = this.next(ikm);
    this.consumed = true;
    return secret;
  }
}

export class EarlySecret extends Stage {
  private constructor(
    provider: CryptoProvider,
    suite: CipherSuite,
    secret: Uint8Array,
    /** The all-zero PSK: the stage is a constant of the hash. */
    private readonly zeroPsk: boolean,
  ) {
    super(provider, suite, secret);
  }

  /** `psk` absent means the all-zero PSK of a full handshake. */
  static create(provider: CryptoProvider, suite: CipherSuite, psk?: Uint8Array): EarlySecret {
    const extract = (ikm: Uint8Array) =>
      provider.hkdfExtract(suite.hash, new Uint8Array(suite.hashLength), ikm);
    if (psk) return new EarlySecret(provider, suite, extract(psk), false);
    const constants = constantsOf(provider, suite.hash);
    constants.zeroPskEarly ??= extract(new Uint8Array(suite.hashLength));
    return new EarlySecret(provider, suite, constants.zeroPskEarly, true);
  }

  protected override derivedSalt(): Uint8Array {
    if (!this.zeroPsk) return super.derivedSalt();
    const constants = constantsOf(this.provider, this.suite.hash);
    constants.zeroPskDerived ??= super.derivedSalt();
    return constants.zeroPskDerived;
  }

  /** binder_key for a resumption PSK (RFC 8446 §7.1, "res binder"). */
  resumptionBinderKey(): Uint8Array {
    return this.derive('res binder', this.emptyHash);
  }

  /** binder_key for an external PSK (RFC 8446 §7.1, "ext binder"). */
  externalBinderKey(): Uint8Array {
    return this.derive('ext binder', this.emptyHash);
  }

  clientEarlyTrafficSecret(transcriptHash: Uint8Array): Uint8Array {
    return this.derive('c e traffic', transcriptHash);
  }

  handshake(sharedSecret: Uint8Array | undefined): HandshakeSecret {
    return new HandshakeSecret(this.provider, this.suite, this.advance(sharedSecret));
  }
}

export class HandshakeSecret extends Stage {
  clientTrafficSecret(transcriptHash: Uint8Array): Uint8Array {
    return this.derive('c hs traffic', transcriptHash);
  }

  serverTrafficSecret(transcriptHash: Uint8Array): Uint8Array {
    return this.derive('s hs traffic', transcriptHash);
  }

  master(): MasterSecret {
    return new MasterSecret(this.provider, this.suite, this.advance(undefined));
  }
}

export class MasterSecret extends Stage {
  clientTrafficSecret(transcriptHash: Uint8Array): Uint8Array {
    return this.derive('c ap traffic', transcriptHash);
  }

  serverTrafficSecret(transcriptHash: Uint8Array): Uint8Array {
    return this.derive('s ap traffic', transcriptHash);
  }

  exporterSecret(transcriptHash: Uint8Array): Uint8Array {
    return this.derive('exp master', transcriptHash);
  }

  resumptionSecret(transcriptHash: Uint8Array): Uint8Array {
    return this.derive('res master', transcriptHash);
  }
}

export interface TrafficKeys {
  readonly key: Uint8Array;
  readonly iv: Uint8Array;
}

/** [sender]_write_key and [sender]_write_iv (RFC 8446 §7.3). */
export function trafficKeys(provider: CryptoProvider, suite: CipherSuite, secret: Uint8Array): TrafficKeys {
  return {
    key: hkdfExpandLabel(provider, suite.hash, secret, 'key', EMPTY, suite.keyLength),
    iv: hkdfExpandLabel(provider, suite.hash, secret, 'iv', EMPTY, 12),
  };
}

/** finished_key (RFC 8446 §4.4.4). */
function finishedKey(provider: CryptoProvider, suite: CipherSuite, secret: Uint8Array): Uint8Array {
  return hkdfExpandLabel(provider, suite.hash, secret, 'finished', EMPTY, suite.hashLength);
}

/** verify_data = HMAC(finished_key, Transcript-Hash(...)) (RFC 8446 §4.4.4). */
export function finishedVerifyData(
  provider: CryptoProvider,
  suite: CipherSuite,
  baseKey: Uint8Array,
  transcriptHash: Uint8Array,
): Uint8Array {
  return provider.hmac(suite.hash, finishedKey(provider, suite, baseKey), transcriptHash);
}

/** application_traffic_secret_N+1 (RFC 8446 §7.2). */
export function nextTrafficSecret(
  provider: CryptoProvider,
  suite: CipherSuite,
  secret: Uint8Array,
): Uint8Array {
  return hkdfExpandLabel(provider, suite.hash, secret, 'traffic upd', EMPTY, suite.hashLength);
}

/** The PSK of a ticket (RFC 8446 §4.6.1). */
export function resumptionPsk(
  provider: CryptoProvider,
  suite: CipherSuite,
  resumptionSecret: Uint8Array,
  ticketNonce: Uint8Array,
): Uint8Array {
  return hkdfExpandLabel(provider, suite.hash, resumptionSecret, 'resumption', ticketNonce, suite.hashLength);
}

/** TLS-Exporter (RFC 8446 §7.5). */
export function exportKeyingMaterial(
  provider: CryptoProvider,
  suite: CipherSuite,
  exporterSecret: Uint8Array,
  label: string,
  context: Uint8Array,
  length: number,
): Uint8Array {
  const secret = deriveSecret(
    provider,
    suite.hash,
    exporterSecret,
    label,
    constantsOf(provider, suite.hash).emptyHash,
  );
  return hkdfExpandLabel(
    provider,
    suite.hash,
    secret,
    'exporter',
    provider.hash(suite.hash, context),
    length,
  );
}
