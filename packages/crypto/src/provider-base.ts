// The CryptoProvider members both providers build the same way from their own primitives: the
// input checks live here once, so nodeProvider and nobleProvider fail alike on the same input.
import { InvalidKeyError, UnsupportedAlgorithmError } from './errors.js';
import { type KeyAgreementPrimitives, keyExchangeMembers } from './key-exchange.js';
import { aeadKeyLength, cryptoRandomBytes } from './policy.js';
import type { AeadAlgorithm, AeadKey, CryptoProvider, Hash, HashAlgorithm } from './provider.js';
import { HASH_LENGTH } from './signature-schemes.js';

/** What the shared Hash needs of a library's incremental hash state. */
interface Updatable {
  update(data: Uint8Array): unknown;
}

/** A library's incremental hash: how to start, fork and finish it. */
export interface HashPrimitives<State extends Updatable> {
  /** Throws UnsupportedAlgorithmError for an unknown algorithm. */
  create(algorithm: HashAlgorithm): State;
  fork(state: State): State;
  finish(state: State): Uint8Array;
}

export interface ProviderPrimitives<HashState extends Updatable> extends KeyAgreementPrimitives {
  readonly hash: HashPrimitives<HashState>;
  /** A record-protection key for a supported algorithm and a key of the right length. */
  aeadKey(algorithm: AeadAlgorithm, key: Uint8Array): AeadKey;
}

class IncrementalHash<State extends Updatable> implements Hash {
  readonly outputLength: number;
  constructor(
    readonly algorithm: HashAlgorithm,
    private readonly state: State,
    private readonly primitives: HashPrimitives<State>,
  ) {
    this.outputLength = HASH_LENGTH[algorithm];
  }
  update(data: Uint8Array): this {
    this.state.update(data);
    return this;
  }
  digest(): Uint8Array {
    return this.primitives.finish(this.state);
  }
  clone(): Hash {
    return new IncrementalHash(this.algorithm, this.primitives.fork(this.state), this.primitives);
  }
}

export function sharedMembers<HashState extends Updatable>(
  primitives: ProviderPrimitives<HashState>,
): Pick<
  CryptoProvider,
  'createHash' | 'importAeadKey' | 'supportsGroup' | 'startKeyExchange' | 'respondKeyExchange' | 'randomBytes'
> {
  return {
    createHash: (algorithm) =>
      new IncrementalHash(algorithm, primitives.hash.create(algorithm), primitives.hash),
    importAeadKey(algorithm, key) {
      const expected = aeadKeyLength(algorithm);
      if (expected === undefined)
        throw new UnsupportedAlgorithmError(`AEAD ${String(algorithm)} is not supported`);
      if (key.length !== expected)
        throw new InvalidKeyError(`${algorithm} key must be ${expected} bytes, got ${key.length}`);
      return primitives.aeadKey(algorithm, key);
    },
    ...keyExchangeMembers(primitives),
    randomBytes: cryptoRandomBytes,
  };
}
