// The running transcript hash (RFC 8446 §4.4.1). Messages are buffered until the cipher suite,
// and with it the hash, is known; HelloRetryRequest replaces ClientHello1 by message_hash.
import type { CryptoProvider, Hash, HashAlgorithm } from '@tls-kit/crypto';
import { HandshakeType } from '@tls-kit/messages';

export class Transcript {
  private pending: Uint8Array[] = [];
  private hash: Hash | undefined;
  private kept: Uint8Array[] | undefined;

  constructor(private readonly provider: CryptoProvider) {}

  add(message: Uint8Array): void {
    this.kept?.push(message);
    if (this.hash) this.hash.update(message);
    else this.pending.push(message);
  }

  /**
   * TLS 1.2 CertificateVerify signs handshake_messages themselves, not their hash (RFC 5246
   * §7.4.8): from now on (and what is still buffered) the messages are kept until released.
   */
  keepMessages(): void {
    this.kept ??= [...this.pending];
  }

  /** The kept messages (see keepMessages). */
  keptMessages(): readonly Uint8Array[] {
    return this.kept ?? [];
  }

  releaseMessages(): void {
    this.kept = undefined;
  }

  get algorithm(): HashAlgorithm | undefined {
    return this.hash?.algorithm;
  }

  /** Fixes the hash once the suite is chosen and feeds it the buffered messages. */
  start(algorithm: HashAlgorithm): void {
    if (this.hash) return;
    this.hash = this.provider.createHash(algorithm);
    for (const m of this.pending) this.hash.update(m);
    this.pending = [];
  }

  /** Transcript-Hash of everything added so far; the running hash keeps going. */
  current(): Uint8Array {
    if (!this.hash) throw new Error('transcript hash used before the cipher suite was chosen');
    return this.hash.clone().digest();
  }

  /**
   * A copy that goes on apart from this one: a client keeps it after the handshake for
   * post-handshake authentication, whose transcripts all start at client Finished (RFC 8446 §4.4).
   */
  fork(): Transcript {
    if (!this.hash) throw new Error('transcript forked before the cipher suite was chosen');
    const copy = new Transcript(this.provider);
    copy.hash = this.hash.clone();
    return copy;
  }

  /**
   * Hash of the messages so far plus `extra`, without adding `extra` (PSK binders, §4.2.11.2; a
   * server's resumption secret over the client Finished it expects, §4.6.1).
   */
  hashWith(algorithm: HashAlgorithm, extra: Uint8Array): Uint8Array {
    const h = this.hash ? this.hash.clone() : this.provider.createHash(algorithm);
    if (!this.hash) for (const m of this.pending) h.update(m);
    return h.update(extra).digest();
  }

  /**
   * RFC 8446 §4.4.1: after a HelloRetryRequest the transcript restarts with
   * message_hash(Hash(ClientHello1)).
   */
  replaceWithMessageHash(algorithm: HashAlgorithm): void {
    const h = this.hash ?? this.provider.createHash(algorithm);
    if (!this.hash) for (const m of this.pending) h.update(m);
    const digest = h.digest();
    this.pending = [];
    this.hash = this.provider.createHash(algorithm);
    this.hash.update(new Uint8Array([HandshakeType.message_hash, 0, 0, digest.length]));
    this.hash.update(digest);
  }
}
