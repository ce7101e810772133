// Facts a connection keeps that are the same for most connections (the chain we sent, the peer's
// signature_algorithms, a server's SNI name): one frozen array or string for all instead of one each.
import type { Certificate } from '@tls-kit/certs';

/**
 * Lists of certificates handed out to connections, one frozen array per leaf (certificates come
 * from the CertificateCache, the trust store or our own configuration, so the same chain has the
 * same objects): every connection that received, verified or sent the same list shares one array.
 */
export class SharedLists {
  private readonly byLeaf = new WeakMap<Certificate, readonly Certificate[]>();

  shared(list: readonly Certificate[]): readonly Certificate[] {
    const leaf = list[0];
    if (leaf === undefined) return NO_CERTIFICATES;
    const known = this.byLeaf.get(leaf);
    if (known && known.length === list.length && known.every((c, i) => c === list[i])) return known;
    const frozen = Object.freeze(list.slice());
    this.byLeaf.set(leaf, frozen);
    return frozen;
  }
}

const NO_CERTIFICATES: readonly Certificate[] = Object.freeze([]);

/** The chains we sent (ConnectionFacts.localCertificates). */
export const localChains = new SharedLists();

/**
 * Values a peer chooses (its signature_algorithms, its SNI name), one per key for every
 * connection, as far as the first `max` keys: later ones are kept by their connection alone.
 */
class SharedTable<T> {
  private readonly byKey = new Map<string, T>();

  constructor(private readonly max: number) {}

  shared(key: string, make: () => T): T {
    const known = this.byKey.get(key);
    if (known !== undefined) return known;
    const value = make();
    if (this.byKey.size < this.max) this.byKey.set(key, value);
    return value;
  }
}

/** Distinct signature_algorithms lists and SNI names kept shared (each table). */
export const MAX_SHARED_PEER_VALUES = 64;
/** Longer signature_algorithms lists are kept per connection (the key is a character per code). */
const MAX_SHARED_SCHEMES = 64;

const schemeLists = new SharedTable<readonly number[]>(MAX_SHARED_PEER_VALUES);
const serverNames = new SharedTable<string>(MAX_SHARED_PEER_VALUES);

/** The peer's signature_algorithms (ConnectionFacts.peerSignatureSchemes), frozen, shared by equal lists. */
export function sharedSchemes(schemes: readonly number[]): readonly number[] {
  const copy = () => Object.freeze(schemes.slice());
  if (schemes.length > MAX_SHARED_SCHEMES) return copy();
  // SignatureScheme codes are 16-bit (RFC 8446 §4.2.3): one UTF-16 code unit each.
  return schemeLists.shared(String.fromCharCode(...schemes), copy);
}

/** A server's SNI name fact (ConnectionFacts.serverName), one string per name. */
export function sharedServerName(name: string): string {
  return serverNames.shared(name, () => name);
}
