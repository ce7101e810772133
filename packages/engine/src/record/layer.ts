// The record layer of one connection (RFC 8446 §5, RFC 5246 §6): records in (deframing,
// deprotection, handshake message reassembly, change_cipher_spec and rejected early data
// filtering, caps on records that carry nothing) and records out (fragmentation, protection, the
// KeyUpdate trigger). Keys of either version come in through installKeys; what the records mean
// (alerts, application data, handshake messages) is the connection's business.
import { concat } from '@tls-kit/crypto/bytes';
import { ContentType, HandshakeType } from '@tls-kit/messages';
import type { ResolvedConfig } from '../config.js';
import { ProtocolViolation, refuse } from '../errors.js';
import { trafficKeys } from '../keyschedule/key-schedule.js';
import { MAX_PLAINTEXT } from '../protocol.js';
import type { CipherSuite, Tls12CipherSuite } from '../suites.js';
import { Deframer, type RawRecord } from './deframer.js';
import { EmptyRecordCaps } from './empty-record-caps.js';
import { HandshakeJoiner, type HandshakeMessage } from './handshake-joiner.js';
import { PlaintextProtection, type RecordProtection, sealRecords, Tls13Protection } from './protection.js';
import { LimitedPlaintextProtection, Tls12Protection } from './protection12.js';

export type Direction = 'read' | 'write';

/** The keys of one direction: a TLS 1.3 traffic secret (RFC 8446 §7.3), or a TLS 1.2 key block's half (RFC 5246 §6.3). */
export type RecordKeys =
  | { readonly version: 'TLSv1.3'; readonly suite: CipherSuite; readonly secret: Uint8Array }
  | {
      readonly version: 'TLSv1.2';
      readonly suite: Tls12CipherSuite;
      readonly key: Uint8Array;
      readonly iv: Uint8Array;
    };

/** What the records carry, one call per message or record. */
/** Takes the sealed records a RecordLayer writes. */
export interface RecordOutput {
  queueOutput(records: Uint8Array): void;
}

export interface RecordSink {
  handshakeMessage(message: HandshakeMessage): void;
  /** A well-formed change_cipher_spec between handshake messages (RFC 5246 §7.1, RFC 8446 §5). */
  changeCipherSpec(): void;
  alert(fragment: Uint8Array): void;
  /** Non-empty application data, the caller's to keep. */
  applicationData(data: Uint8Array): void;
}

export type RecordLayerConfig = Pick<
  ResolvedConfig,
  | 'provider'
  | 'maxBufferedInput'
  | 'maxHandshakeMessageSize'
  | 'maxFragmentSize'
  | 'keyUpdateAfterRecords'
  | 'recordPadding'
  | 'middleboxCompatibility'
>;

export class RecordLayer {
  /**
   * Bounds on records that carry nothing (empty records, warnings, KeyUpdates in a row): made by
   * the first such record, dropped once data resets every count, so an idle connection has none.
   */
  private caps: EmptyRecordCaps | undefined;
  /** Records the peer may not send us over this size (RFC 8449), set by the handshake. */
  private readLimit: number | undefined;
  /** The peer's record_size_limit or max_fragment_length (RFC 8449, RFC 6066 §4). */
  private writeLimit: number | undefined;
  /**
   * Created when input arrives and dropped when nothing is left in them, so an idle connection
   * holds neither (a record or handshake message split across calls keeps them).
   */
  private deframer: Deframer | undefined;
  private joiner: HandshakeJoiner | undefined;
  private readProtection: RecordProtection = new PlaintextProtection();
  private writeProtection: RecordProtection;
  /** The handshake completed: application data may arrive, change_cipher_spec may not (TLS 1.3). */
  private completed = false;
  /** The first ClientHello was sent or received: a change_cipher_spec may arrive (RFC 8446 §5). */
  private helloSeen = false;
  private sentChangeCipherSpec = false;
  /**
   * Handshake messages sent since the last flush(), under the current write protection: a
   * flight's messages share records (see send).
   */
  private pendingHandshake: Uint8Array[] | undefined;
  /** Server: skip undecryptable records until one decrypts, up to earlyDataBudget bytes (RFC 8446 §4.2.10). */
  private skippingEarlyData = false;
  private earlyDataBudget = 0;

  constructor(
    private readonly config: RecordLayerConfig,
    role: 'client' | 'server',
    /** Where sealed records (or pieces of them, in this order) go (an object, not a closure per connection). */
    private readonly output: RecordOutput,
    /**
     * The output is written piece by piece (a gather write), not joined: records go out as
     * their pieces where the protection has them, uncopied. Joined output is better served by
     * records sealed in place into one buffer (one copy either way, one AEAD call fewer).
     */
    private readonly gather = false,
  ) {
    // RFC 8446 §5.1: the first ClientHello may carry legacy_record_version 0x0301.
    this.writeProtection = new PlaintextProtection(role === 'client' ? 0x0301 : 0x0303);
  }

  // --- Input ---

  /** Takes in up to `slice` bytes of `input` (see Deframer.feed); returns how many. */
  feed(input: Uint8Array, slice: number): number {
    this.deframer ??= new Deframer(this.config.maxBufferedInput);
    return this.deframer.feed(input, slice);
  }

  /** Copies what is left of the caller's input before it gets its buffer back. */
  detach(): void {
    this.deframer?.detach();
  }

  /** Drops the deframer and joiner when they hold nothing, else frees the joiner's buffer if it can. */
  release(): void {
    if (this.deframer?.buffered === 0) this.deframer = undefined;
    if (this.joiner?.empty) this.joiner = undefined;
    else this.joiner?.release();
  }

  /** Input is waiting, unprocessed or partly reassembled. */
  get holdsInput(): boolean {
    return this.deframer !== undefined || this.joiner !== undefined;
  }

  /**
   * Handles the next complete handshake message or record, passing what it carries to `sink`;
   * false when none is buffered.
   */
  readNext(sink: RecordSink): boolean {
    const message = this.joiner?.next();
    if (message) {
      // HelloRequests carry nothing; a client ignores them during a handshake (RFC 5246 §7.4.1.1).
      if (message.type === HandshakeType.hello_request) this.counts().emptyRecord('HelloRequests');
      sink.handshakeMessage(message);
      return true;
    }
    const record = this.deframer?.next();
    if (!record) return false;
    this.handleRecord(record, sink);
    return true;
  }

  private handleRecord(record: RawRecord, sink: RecordSink): void {
    if (record.type === ContentType.change_cipher_spec) {
      // RFC 8446 §5 / RFC 5246 §7.1: exactly one byte, 0x01, never inside a handshake message.
      const { fragment } = record;
      if (fragment.length !== 1 || fragment[0] !== 1)
        refuse('MalformedChangeCipherSpec', 'malformed change_cipher_spec');
      if (!this.joinerEmpty)
        refuse('ChangeCipherSpecInsideHandshakeMessage', 'change_cipher_spec inside a handshake message');
      sink.changeCipherSpec();
      return;
    }
    if (this.skippingEarlyData && record.type === ContentType.application_data) {
      // RFC 8446 §4.2.10: a server rejecting 0-RTT skips records it cannot decrypt, up to
      // max_early_data_size, then treats failures as usual.
      if (!this.readProtection.encrypted) {
        this.skipEarlyData(record.fragment.length);
        return;
      }
      try {
        const opened = this.readProtection.open(record);
        this.skippingEarlyData = false;
        this.dispatch(opened.type, opened.fragment, record, sink);
      } catch (error) {
        if (!(error instanceof ProtocolViolation) || error.reason !== 'BadRecordMac') throw error;
        this.skipEarlyData(record.fragment.length);
      }
      return;
    }
    const opened = this.readProtection.open(record);
    this.dispatch(opened.type, opened.fragment, record, sink);
  }

  private skipEarlyData(length: number): void {
    if (length > this.earlyDataBudget) refuse('TooMuchRejectedEarlyData', 'too much rejected early data');
    this.earlyDataBudget -= length;
  }

  /** `record` is the one `fragment` came from: a view of it must be copied to be kept. */
  private dispatch(type: number, fragment: Uint8Array, record: RawRecord, sink: RecordSink): void {
    if (type !== ContentType.handshake && !this.joinerEmpty) {
      // RFC 8446 §5.1: handshake messages must not be interleaved with other record types.
      refuse(
        'RecordInterleavedWithHandshakeMessage',
        'record interleaved with a fragmented handshake message',
      );
    }
    switch (type) {
      case ContentType.handshake:
        this.joiner ??= new HandshakeJoiner(this.config.maxHandshakeMessageSize);
        this.joiner.push(fragment);
        if (this.caps?.data()) this.caps = undefined;
        return;
      case ContentType.alert:
        sink.alert(fragment);
        return;
      case ContentType.application_data:
        if (!this.completed)
          refuse('ApplicationDataBeforeHandshake', 'application data before the handshake completed');
        if (fragment.length === 0) {
          this.counts().emptyRecord('empty records');
          return;
        }
        // Application data ends every run, KeyUpdates included.
        this.caps = undefined;
        // Decrypted data is fresh memory, kept as is; a view of the input buffer (which the next
        // push reuses) is copied.
        sink.applicationData(fragment.buffer === record.fragment.buffer ? fragment.slice() : fragment);
        return;
      case ContentType.change_cipher_spec:
        refuse('ProtectedChangeCipherSpec', 'protected change_cipher_spec');
        break;
      default:
        refuse('UnknownInnerContentType', `unknown inner content type ${type}`);
    }
  }

  /** TLS 1.3 (RFC 8446 §5): a change_cipher_spec is dropped between the first ClientHello and the peer's Finished. */
  dropChangeCipherSpec(): void {
    if (this.completed) refuse('UnexpectedChangeCipherSpec', 'change_cipher_spec after the handshake');
    if (!this.helloSeen) refuse('UnexpectedChangeCipherSpec', 'change_cipher_spec before the ClientHello');
    this.counts().emptyRecord('dropped change_cipher_spec records');
  }

  private counts(): EmptyRecordCaps {
    this.caps ??= new EmptyRecordCaps();
    return this.caps;
  }

  /** A warning alert that leaves the connection usable (capped: EmptyRecordCaps). */
  countWarningAlert(): void {
    this.counts().warningAlert();
  }

  /** A TLS 1.3 KeyUpdate (capped without application data in between: EmptyRecordCaps). */
  countKeyUpdate(): void {
    this.counts().keyUpdate();
  }

  /** No handshake message is partly received (RFC 8446 §5.1: none may span a key change). */
  private get joinerEmpty(): boolean {
    return this.joiner === undefined || this.joiner.empty;
  }

  // --- Output ---

  /**
   * Seals `data` as records of `type`, fragmented to what the peer and the configuration allow.
   * Handshake messages wait for flush(), the next record of another type or the next change of
   * write protection, and then go out together in as few records as the limit allows: RFC 8446
   * §5.1 and RFC 5246 §6.2.1 let messages of one type share a record, but none may span a key
   * change (nor, TLS 1.2, a ChangeCipherSpec, which is a record of its own type).
   */
  send(type: number, data: Uint8Array): void {
    if (type === ContentType.handshake) {
      if (this.pendingHandshake) this.pendingHandshake.push(data);
      else this.pendingHandshake = [data];
      return;
    }
    this.flush();
    this.seal(type, data);
  }

  /** Seals the handshake messages waiting (see send); the driver calls it before it writes. */
  flush(): void {
    const pending = this.pendingHandshake;
    if (!pending) return;
    this.pendingHandshake = undefined;
    this.seal(ContentType.handshake, pending.length === 1 ? pending[0]! : concat(pending));
  }

  private seal(type: number, data: Uint8Array): void {
    const protection = this.writeProtection;
    const max = Math.min(protection.maxFragment, this.config.maxFragmentSize);
    if (!this.gather || !protection.sealParts) {
      this.output.queueOutput(sealRecords(protection, type, data, max, this.config.provider));
      return;
    }
    // One empty record for empty data, as sealRecords.
    const pieces: Uint8Array[] = [];
    let at = 0;
    do {
      protection.sealParts(type, data.subarray(at, at + max), pieces);
      at += max;
    } while (at < data.length);
    for (const piece of pieces) this.output.queueOutput(piece);
  }

  /**
   * Application data; `rekey` changes the write keys (TLS 1.3 KeyUpdate) when the current ones
   * have protected keyUpdateAfterRecords records (RFC 8446 §5.5).
   */
  sendApplicationData(data: Uint8Array, rekey: () => void): void {
    // Waiting handshake messages count against the write key's records first.
    this.flush();
    const max = this.config.keyUpdateAfterRecords;
    for (let at = 0; at < data.length; ) {
      if (this.writeProtection instanceof Tls13Protection && this.writeProtection.records >= max) rekey();
      const protection = this.writeProtection;
      const fragment = Math.min(protection.maxFragment, this.config.maxFragmentSize);
      const records =
        protection instanceof Tls13Protection
          ? Math.max(1, max - protection.records)
          : Number.POSITIVE_INFINITY;
      const end = Math.min(data.length, at + records * fragment);
      this.seal(ContentType.application_data, data.subarray(at, end));
      at = end;
    }
  }

  /** RFC 8446 §D.4: one dummy change_cipher_spec per connection in middlebox compatibility mode. */
  sendChangeCipherSpecOnce(): void {
    if (this.sentChangeCipherSpec || !this.config.middleboxCompatibility) return;
    this.sentChangeCipherSpec = true;
    this.flush();
    this.output.queueOutput(
      new PlaintextProtection().seal(ContentType.change_cipher_spec, new Uint8Array([1])),
    );
  }

  // --- Keys and limits ---

  /** From now on, records of `direction` are protected with `keys`. */
  installKeys(direction: Direction, keys: RecordKeys): void {
    // RFC 8446 §5.1: handshake messages must not span a key change.
    if (direction === 'read' && !this.joinerEmpty)
      refuse('HandshakeMessageSplitAcrossKeyChange', 'handshake message split across a key change');
    const protection = this.protection(keys, direction === 'read' ? this.readLimit : this.writeLimit);
    if (direction === 'read') this.readProtection = protection;
    else this.setWriteProtection(protection);
  }

  /** What was sent under the protection so far is sealed with it first (RFC 8446 §5.1). */
  private setWriteProtection(protection: RecordProtection): void {
    this.flush();
    this.writeProtection = protection;
  }

  /** `limit`: for writing, the peer's record_size_limit; for reading, ours (RFC 8449 §4). */
  private protection(keys: RecordKeys, limit: number | undefined): RecordProtection {
    const { provider, recordPadding } = this.config;
    if (keys.version === 'TLSv1.2') {
      // RFC 8449 §4 counts plaintext only in TLS 1.2.
      const max = Math.min(limit ?? MAX_PLAINTEXT, MAX_PLAINTEXT);
      return new Tls12Protection(provider, keys.suite, keys.key, keys.iv, max);
    }
    const { key, iv } = trafficKeys(provider, keys.suite, keys.secret);
    return new Tls13Protection(provider, keys.suite, key, iv, limit, recordPadding);
  }

  /** RFC 8449 §4 / RFC 6066 §4: the negotiated record size limits, applied by the next keys. */
  setLimits(read: number, write: number): void {
    this.readLimit = read;
    this.writeLimit = write;
  }

  /** The limit on records we read (RFC 8449), once negotiated. */
  get recordReadLimit(): number | undefined {
    return this.readLimit;
  }

  /** TLS 1.2 max_fragment_length (RFC 6066 §4): the rest of the unprotected handshake obeys it too. */
  limitPlaintextWrites(bytes: number): void {
    this.setWriteProtection(new LimitedPlaintextProtection(bytes));
  }

  // --- Handshake milestones ---

  /** The first ClientHello is sent or received: later records use version 0x0303 (RFC 8446 §5.1), and a change_cipher_spec may now arrive (§5). */
  clientHelloExchanged(): void {
    this.helloSeen = true;
    if (!this.writeProtection.encrypted) this.setWriteProtection(new PlaintextProtection(0x0303));
  }

  /** Server, after rejecting 0-RTT: skip undecryptable records, up to `budget` bytes (RFC 8446 §4.2.10). */
  skipRejectedEarlyData(budget: number): void {
    this.skippingEarlyData = true;
    this.earlyDataBudget = budget;
  }

  /** The client's records decrypt under the handshake keys from now on: nothing more is skipped. */
  stopSkippingEarlyData(): void {
    this.skippingEarlyData = false;
  }

  handshakeComplete(): void {
    this.completed = true;
  }
}
