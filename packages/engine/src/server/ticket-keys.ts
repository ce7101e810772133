// Session ticket protection for the server (RFC 8446 §4.6.1, RFC 5077 §4 layout): a ticket is
// key_name || nonce || AES-256-GCM(state), with keys rotated on a schedule and the previous
// key still accepted so tickets survive one rotation.
import type { AeadKey, CryptoProvider } from '@tls-kit/crypto';
import { bytesEqual, concat } from '@tls-kit/crypto/bytes';
import { defaultProvider } from '@tls-kit/crypto/default';
import { TLSUsageError } from '../errors.js';

interface TicketKey {
  readonly name: Uint8Array;
  readonly aead: AeadKey;
  readonly createdAt: number;
}

export interface TicketKeysOptions {
  readonly provider?: CryptoProvider;
  /** How often a new key is made, in ms. Default: 12 hours. Tickets stay valid for two periods at most. */
  readonly rotationMs?: number;
  readonly clock?: () => number;
}

const NAME = 16;
const NONCE = 12;
/** node:tls' ticketKeys: key name (16), HMAC secret (16), AES key (16). */
const SHARED_BYTES = 48;

export class TicketKeys {
  private readonly provider: CryptoProvider;
  private rotationMs: number;
  private readonly clock: () => number;
  private current: TicketKey;
  private previous: TicketKey | undefined;
  /** The 48 bytes of fromBytes() or replace(), while they are the keys. */
  private shared: Uint8Array | undefined;

  constructor(options: TicketKeysOptions = {}) {
    this.provider = options.provider ?? defaultProvider;
    this.rotationMs = options.rotationMs ?? 12 * 3600 * 1000;
    this.clock = options.clock ?? Date.now;
    this.current = this.makeKey();
  }

  /**
   * Keys that servers share as node:tls' 48-byte `ticketKeys`: the first 16 bytes are the key
   * name, the other 32 (node's HMAC and AES halves) our AES-256-GCM key. Never rotated: whoever
   * holds the bytes replaces them, as node's setTicketKeys() does.
   */
  static fromBytes(bytes: Uint8Array, options: Omit<TicketKeysOptions, 'rotationMs'> = {}): TicketKeys {
    const keys = new TicketKeys(options);
    keys.replace(bytes);
    return keys;
  }

  /**
   * node:tls' server.setTicketKeys(): from now on tickets are sealed and opened with these 48
   * bytes only (laid out as in fromBytes, never rotated); tickets sealed before no longer open.
   */
  replace(bytes: Uint8Array): void {
    if (bytes.length !== SHARED_BYTES) throw new TLSUsageError(`ticket keys must be ${SHARED_BYTES} bytes`);
    this.shared = bytes.slice();
    this.rotationMs = Number.POSITIVE_INFINITY;
    this.previous = undefined;
    this.current = {
      name: this.shared.slice(0, NAME),
      aead: this.provider.importAeadKey('aes-256-gcm', this.shared.slice(NAME)),
      createdAt: this.clock(),
    };
  }

  /** node:tls' server.getTicketKeys(): the 48 bytes given to fromBytes() or replace(); undefined for keys we rotate. */
  get bytes(): Uint8Array | undefined {
    return this.shared?.slice();
  }

  /** The ticket lifetime these keys can honour, in seconds. */
  get maxLifetimeSeconds(): number {
    return Math.floor(this.rotationMs / 1000);
  }

  private makeKey(): TicketKey {
    return {
      name: this.provider.randomBytes(NAME),
      aead: this.provider.importAeadKey('aes-256-gcm', this.provider.randomBytes(32)),
      createdAt: this.clock(),
    };
  }

  private rotate(): void {
    if (this.clock() - this.current.createdAt < this.rotationMs) return;
    this.previous = this.current;
    this.current = this.makeKey();
  }

  seal(state: Uint8Array): Uint8Array {
    this.rotate();
    const nonce = this.provider.randomBytes(NONCE);
    return concat([this.current.name, nonce, this.current.aead.seal(nonce, state, this.current.name)]);
  }

  /** The state inside `ticket`, or undefined if it is not ours, expired with its key, or forged. */
  open(ticket: Uint8Array): Uint8Array | undefined {
    this.rotate();
    if (ticket.length < NAME + NONCE + 16) return undefined;
    const name = ticket.subarray(0, NAME);
    const key = [this.current, this.previous].find((k) => k && bytesEqual(k.name, name));
    if (!key) return undefined;
    try {
      return key.aead.open(ticket.subarray(NAME, NAME + NONCE), ticket.subarray(NAME + NONCE), name);
    } catch {
      return undefined;
    }
  }
}
