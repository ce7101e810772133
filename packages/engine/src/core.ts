// The driver of every connection, whatever the role and version: the input loop over the record
// layer (record/layer.ts), dispatch to the current handshake state, alerts, close semantics (the
// design's common states), output batching and flushing, failures, and pausing for certificate
// callbacks.
import type { Certificate, VerifyFailureReason } from '@tls-kit/certs';
import { InvalidatedError } from '@tls-kit/certs';
import { concat, toHex } from '@tls-kit/crypto/bytes';
import {
  Alert,
  AlertDescription,
  AlertLevel,
  ContentType,
  HandshakeType,
  ProtocolVersion,
} from '@tls-kit/messages';
import { alertName, resolveAlertLevel } from './alerts.js';
import type { ResolvedConfig, TLSVersion } from './config.js';
import {
  BadTLSDataError,
  ProtocolViolation,
  refuse,
  TLSAlertError,
  TLSUsageError,
  UserCallbackError,
} from './errors.js';
import { decode, frameHandshake, type HandshakeMessage } from './handshake/messages.js';
import type { StatusFailureReason } from './handshake/ocsp-verification.js';
import { MAX_WARNING_ALERTS } from './record/empty-record-caps.js';
import {
  type Direction,
  type RecordKeys,
  RecordLayer,
  type RecordOutput,
  type RecordSink,
} from './record/layer.js';
import type { Transcript } from './transcript/transcript.js';

/** One state of a handshake state machine: handles one message and returns the next state. */
export interface HandshakeState {
  readonly name: string;
  handle(message: HandshakeMessage): HandshakeState;
  /**
   * For protocols where ChangeCipherSpec means something (TLS 1.2): the state handles it and
   * returns the next state. Absent, the TLS 1.3 rule applies (RFC 8446 §5: drop it during the
   * handshake, unexpected_message otherwise).
   */
  handleChangeCipherSpec?(): HandshakeState;
  /** Post-handshake states that can change our write key (TLS 1.3 KeyUpdate) do it here. */
  rekey?(): void;
  /** The states of a completed handshake: the exporter (RFC 8446 §7.5, RFC 5705). */
  exportKeyingMaterial?(label: string, context: Uint8Array, length: number): Uint8Array;
  /** TLS 1.3 after the handshake: KeyUpdate (RFC 8446 §4.6.3). */
  updateKeys?(requestPeer: boolean): void;
  /** TLS 1.3 after the handshake, when the client offered post_handshake_auth (RFC 8446 §4.6.2). */
  readonly postHandshakeAuth?: { request?(): void };
}

/** Where a connection is, as reported by `Connection.state`. */
export type ConnectionState =
  /** Handshake messages are being exchanged. */
  | 'handshaking'
  /** The handshake waits for a certificate callback; input is buffered. */
  | 'waiting'
  /** Handshake complete; application data flows both ways. */
  | 'open'
  /** We sent close_notify (applicationFinished); the peer may still send data. */
  | 'closing'
  /**
   * halfClose (TLS 1.3): the peer's close_notify arrived (`ended`); we may still send until
   * applicationFinished() (RFC 8446 §6.1).
   */
  | 'peerClosed'
  /** Both close_notify alerts were exchanged, or the peer closed: the stream has ended. */
  | 'closed'
  /** A fatal error happened; every further call raises InvalidatedError. */
  | 'invalidated';

/** Optional per-connection event callbacks (the fourth argument of `start`). */
export interface ConnectionEvents {
  /**
   * Application data decrypted outside a dataFromWire call, i.e. after a certificate callback
   * resumed the handshake. Without this callback such data is returned by the next dataFromWire.
   */
  readonly onApplicationData?: (data: Uint8Array) => void;
  /** The peer ended the stream (close_notify received); `Connection.ended` is now true. */
  readonly onEnd?: () => void;
  /** The handshake completed; the connection's facts are known. */
  readonly onHandshakeComplete?: () => void;
  /**
   * Server: a post-handshake client authentication (Connection.requestClientCertificate, RFC
   * 8446 §4.6.2) completed; peerCertificates and peerVerification now hold its result.
   */
  readonly onClientAuthenticated?: () => void;
  /**
   * TLS 1.2: the peer sent a warning alert, which leaves the connection usable (RFC 5246 §7.2);
   * `Connection.warningAlerts` keeps the last ones.
   */
  readonly onWarningAlert?: (alertCode: number) => void;
  /**
   * An error raised while resuming after an asynchronous certificate callback. Without this
   * callback the error is raised by the next dataFromWire / dataFromApplication call.
   */
  readonly onError?: (error: Error) => void;
  /**
   * Each key log line (NSS key log format), as the `keyLog` option gets it: for a driver that
   * reports the lines of each connection while its connections share one configuration.
   */
  readonly onKeyLog?: (line: string) => void;
  /**
   * For drivers with gather writes (writev): a call's output as its pieces, to be written in
   * this order, instead of joined into one buffer for `writeToWire` (which is then not called).
   * The pieces are the driver's to keep.
   */
  readonly writeToWireParts?: (pieces: readonly Uint8Array[]) => void;
  /**
   * For drivers with one events object per connection: the design's wireClose as a member of
   * it, called instead of start()'s `wireClose`. The connection then keeps neither of start()'s
   * functions when `writeToWireParts` is there too (an idle connection holds no closures).
   */
  readonly wireClose?: (immediate: boolean) => void;
}

/** The outcome of the peer chain's validation; `ok: false` only with `rejectUnauthorized: false`. */
export type PeerVerification =
  | { readonly ok: true }
  | {
      readonly ok: false;
      /** A chain failure, or (ocspVerification) the stapled status's. */
      readonly reason: VerifyFailureReason | StatusFailureReason;
      readonly message: string;
    };

export type WriteToWire = (data: Uint8Array) => void;
export type WireClose = (immediate: boolean) => void;

/**
 * What only the handshake uses, in one object the core drops at the end of the call that
 * completed the handshake, so an open connection keeps none of it.
 */
class HandshakeOnly {
  /** Application data written before the handshake completed (lazily), and its size. */
  queuedApplicationData: Uint8Array[] | undefined;
  queuedBytes = 0;
  /** applicationFinished() came first: close_notify follows the queued data. */
  closeRequested = false;
  /** Waiting for a certificate callback: input is buffered. */
  paused = false;
  /** The connection object handed to user callbacks (verifyCallback). */
  publicConnection: unknown;
}

/** peerCertificates before (or without) a peer chain: one array for every connection. */
const NO_CERTIFICATES: readonly Certificate[] = Object.freeze([]);
const NO_DATA: readonly Uint8Array[] = Object.freeze([]);

const NO_SCHEMES: readonly number[] = Object.freeze([]);

/**
 * The facts of a connection; byte values are kept in one bare buffer, without a view per
 * connection, and so are the TLS 1.3 traffic state's secrets (one buffer per idle connection).
 */
export class ConnectionFacts {
  tlsVersion: TLSVersion | undefined;
  cipherSuite: string | undefined;
  namedGroup: string | undefined;
  signatureScheme: string | undefined;
  /**
   * The peer's signature_algorithms codes, in its order: the ClientHello's (server) or the
   * CertificateRequest's (client; none without one).
   */
  peerSignatureSchemes: readonly number[] = NO_SCHEMES;
  alpnProtocol: string | undefined;
  serverName: string | undefined;
  peerCertificates: readonly Certificate[] = NO_CERTIFICATES;
  /** The chain we sent, leaf first (empty when we sent none). */
  localCertificates: readonly Certificate[] = NO_CERTIFICATES;
  /** The certificates of the peer's Certificate message, in its order (see Connection.receivedCertificates). */
  receivedCertificates: readonly Certificate[] = NO_CERTIFICATES;
  /** How the peer's chain fared; set when one was validated (see Connection.peerVerification). */
  peerVerification: PeerVerification | undefined;
  /** Client: the OCSP response the server stapled (RFC 6066 §8), a copy of exact size. */
  ocspResponse: Uint8Array | undefined;
  resumed = false;
  /** Client: the identity of the external PSK the server accepted (RFC 8446 §4.2.11). */
  pskIdentity: Uint8Array | undefined;
  // finished, peerFinished, sessionId and the traffic secrets, one after the other in one bare
  // buffer, each read a new view over it: a view or a buffer kept per value would be objects more
  // per idle connection. Their lengths; -1: not set.
  private finishedLength = -1;
  private peerFinishedLength = -1;
  private sessionIdLength = -1;
  private secretsLength = -1;
  private bytes: ArrayBuffer | undefined;

  private view(index: number): Uint8Array | undefined {
    const lengths = [this.finishedLength, this.peerFinishedLength, this.sessionIdLength, this.secretsLength];
    let offset = 0;
    for (let i = 0; i < index; i++) offset += Math.max(lengths[i]!, 0);
    const length = lengths[index]!;
    return length < 0 ? undefined : new Uint8Array(this.bytes!, offset, length);
  }

  /** Stores the values anew, `value` as the one at `index` (each is set once or twice per connection). */
  private store(index: number, value: Uint8Array | undefined): void {
    const parts = [0, 1, 2, 3].map((i) => (i === index ? value : this.view(i)));
    const bytes = new Uint8Array(parts.reduce((n, part) => n + (part?.length ?? 0), 0));
    let offset = 0;
    for (const part of parts) {
      if (part) bytes.set(part, offset);
      offset += part?.length ?? 0;
    }
    // The old buffer held the secrets too: wiped, not left to the collector.
    if (this.secretsLength > 0) new Uint8Array(this.bytes!).fill(0);
    this.bytes = bytes.buffer;
    [this.finishedLength, this.peerFinishedLength, this.sessionIdLength, this.secretsLength] = parts.map(
      (part) => part?.length ?? -1,
    ) as [number, number, number, number];
  }

  /** The verify_data of the latest Finished we sent (RFC 8446 §4.4.4, RFC 5246 §7.4.9). */
  get finished(): Uint8Array | undefined {
    return this.view(0);
  }
  set finished(data: Uint8Array | undefined) {
    this.store(0, data);
  }

  /** The verify_data of the peer's latest Finished. */
  get peerFinished(): Uint8Array | undefined {
    return this.view(1);
  }
  set peerFinished(data: Uint8Array | undefined) {
    this.store(1, data);
  }

  get sessionId(): Uint8Array | undefined {
    return this.view(2);
  }
  set sessionId(id: Uint8Array | undefined) {
    this.store(2, id);
  }

  /**
   * Not a fact: the TLS 1.3 traffic state's secrets (Traffic13), kept here to share the buffer.
   * A view, valid until a value is set again (the values then move to a new buffer and the old
   * one is wiped); writes to it change the secrets in place. Never handed out: the other values
   * leave as copies.
   */
  get trafficSecrets(): Uint8Array | undefined {
    return this.view(3);
  }
  set trafficSecrets(secrets: Uint8Array | undefined) {
    this.store(3, secrets);
  }
}

export class ConnectionCore implements RecordSink, RecordOutput {
  readonly facts = new ConnectionFacts();
  status: ConnectionState = 'handshaking';
  ended = false;
  /** Called once when the connection is invalidated (TLS 1.2 drops its session: RFC 5246 §7.2.2). */
  onInvalidate: (() => void) | undefined;
  /** The last warning alerts the peer sent (TLS 1.2), oldest first; created by the first one. */
  warningAlerts: number[] | undefined;
  /** Records in and out: framing, protection, reassembly, filtering (RFC 8446 §5). */
  readonly records: RecordLayer;

  private state: HandshakeState;
  /** Released at the end of the call that completed the handshake. */
  private handshakeOnly: HandshakeOnly | undefined;
  /** Records waiting for the end of the call, and application data for its caller (lazily). */
  private output: Uint8Array[] | undefined;
  private received: Uint8Array[] | undefined;
  private completed = false;
  private inCall = false;
  private pendingError: Error | undefined;
  /** Half-close: wireClose(false) is due once the current call flushed our close_notify. */
  private wireCloseAfterFlush = false;
  /** The peer asked for a KeyUpdate: one answer, sent at the end of the call, serves them all. */
  private keyUpdateOwed = false;
  /** The driver's transport is full (setTransportFull): an owed KeyUpdate waits until it drains. */
  private transportFull = false;

  /** start()'s functions, unless `events` has writeToWireParts / wireClose in their place. */
  private readonly writeToWire: WriteToWire | undefined;
  private readonly closeWire: WireClose | undefined;

  constructor(
    readonly config: ResolvedConfig,
    readonly role: 'client' | 'server',
    writeToWire: WriteToWire,
    wireClose: WireClose,
    readonly events: ConnectionEvents,
    initial: (core: ConnectionCore) => HandshakeState,
  ) {
    if (events.writeToWireParts === undefined) this.writeToWire = writeToWire;
    if (events.wireClose === undefined) this.closeWire = wireClose;
    this.handshakeOnly = new HandshakeOnly();
    this.records = new RecordLayer(config, role, this, events.writeToWireParts !== undefined);
    this.state = { name: 'Start', handle: () => refuse('MessageWhileWaiting', 'not started') };
    this.call(() => {
      this.state = initial(this);
    });
  }

  private handshake(what: string): HandshakeOnly {
    if (!this.handshakeOnly) throw new Error(`${what} used after the handshake completed`);
    return this.handshakeOnly;
  }

  /** The connection object handed to user callbacks (verifyCallback), which run during the handshake. */
  get publicConnection(): unknown {
    return this.handshakeOnly?.publicConnection;
  }
  set publicConnection(connection: unknown) {
    if (this.handshakeOnly) this.handshakeOnly.publicConnection = connection;
  }

  /** Protocol version once fixed (the tlsVersion fact); selects CCS and alert rules. */
  get version(): TLSVersion | undefined {
    return this.facts.tlsVersion;
  }

  get stateName(): string {
    return this.state.name;
  }

  get currentState(): HandshakeState {
    return this.state;
  }

  /** Runs an action of the current state as an API call: output flushed, failures handled. */
  perform(fn: () => void): void {
    this.assertUsable();
    this.call(fn);
  }

  // --- Entry points (from Connection) ---

  dataFromWire(input: Uint8Array): Uint8Array {
    const received = this.dataFromWireParts(input);
    return received.length === 1 ? received[0]! : concat(received);
  }

  /** dataFromWire without joining the data of the input's records. */
  dataFromWireParts(input: Uint8Array): readonly Uint8Array[] {
    this.assertUsable();
    // Input must not be fed from inside one of our callbacks: the state machine is mid-step.
    if (this.inCall) throw new TLSUsageError('dataFromWire called from inside a connection callback');
    // RFC 8446 §6.1: data after the peer's close_notify is ignored.
    if (this.status === 'peerClosed') return NO_DATA;
    try {
      this.call(() => {
        // Feed large inputs in slices so that only what cannot be processed yet (an incomplete
        // record, or everything while a callback is pending) counts against maxBufferedInput.
        const slice = Math.max(1, Math.min(1 << 16, this.config.maxBufferedInput >> 1));
        for (let at = 0; at < input.length && !this.stopped; ) {
          at += this.records.feed(input.subarray(at), slice);
          this.process();
        }
      });
    } finally {
      // Records are read in place from `input`: what is left is copied before the caller gets
      // its buffer back.
      this.records.detach();
      this.records.release();
    }
    const received = this.received ?? NO_DATA;
    this.received = undefined;
    return received;
  }

  dataFromApplication(data: Uint8Array): void {
    this.assertUsable();
    if (this.status === 'closing' || this.handshakeOnly?.closeRequested) {
      throw new TLSUsageError('applicationFinished() was called: no more data may be sent');
    }
    if (this.status !== 'open' && this.status !== 'peerClosed') {
      // Before the handshake completes data waits, bounded, and goes out right after.
      const handshake = this.handshake('the application data queue');
      if (handshake.queuedBytes + data.length > this.config.maxQueuedApplicationData) {
        throw new TLSUsageError('too much application data queued before the handshake completed');
      }
      if (data.length > 0) {
        handshake.queuedApplicationData ??= [];
        handshake.queuedApplicationData.push(data.slice());
      }
      handshake.queuedBytes += data.length;
      return;
    }
    if (data.length > 0) this.call(() => this.sendApplicationData(data));
  }

  sendAlert(code: number, level?: number): void {
    this.assertUsable();
    // RFC 5246 §7.2 has level rules of its own (e.g. no_renegotiation is a warning).
    const resolved = resolveAlertLevel(
      code,
      level,
      this.version === 'TLSv1.2' ? ProtocolVersion.TLS1_2 : undefined,
    );
    if (code === AlertDescription.close_notify) {
      this.applicationFinished();
      return;
    }
    this.call(() => {
      this.writeAlert(code, resolved);
      // RFC 8446 §6.2: after a fatal alert both sides close; a warning (TLS 1.3: only
      // user_canceled) leaves the connection usable.
      if (resolved === AlertLevel.fatal) this.invalidate(true);
    });
  }

  applicationFinished(): void {
    this.assertUsable();
    if (this.status === 'closing' || this.handshakeOnly?.closeRequested) return;
    if (this.status === 'peerClosed') {
      // Half-close: our close_notify ends our write side too; the transport closes after it drains
      // (wireClose(false), in call() once the alert is flushed).
      this.call(() => {
        this.writeAlert(AlertDescription.close_notify, AlertLevel.warning);
        this.status = 'closed';
        this.wireCloseAfterFlush = true;
      });
      return;
    }
    if (this.status !== 'open') {
      // During the handshake: close_notify follows the queued data once the handshake completes.
      this.handshake('closeRequested').closeRequested = true;
      return;
    }
    this.call(() => this.sendCloseNotify());
  }

  private sendCloseNotify(): void {
    this.writeAlert(AlertDescription.close_notify, AlertLevel.warning);
    this.status = 'closing';
  }

  // --- Used by handshake states ---

  /** The peer asked for a KeyUpdate (RFC 8446 §4.6.3): answered before our next data or at the end of the call. */
  owePeerKeyUpdate(): void {
    this.keyUpdateOwed = true;
  }

  /**
   * The driver's transport is full: input is still processed (the application may be reading
   * while its own writes wait), but the answers a peer can ask for (KeyUpdate) wait until it
   * drains, so a peer that sends and never reads cannot make us queue output.
   */
  setTransportFull(full: boolean): void {
    const drained = this.transportFull && !full;
    this.transportFull = full;
    if (drained && this.keyUpdateOwed && !this.inCall && this.status !== 'invalidated')
      this.processWaitingInput(() => {});
  }

  /** False while a certificate callback is pending or once input is no longer read. */
  get wantsRead(): boolean {
    return this.status !== 'waiting' && !this.stopped;
  }

  /** A warning alert that leaves the connection usable (TLS 1.2 no_renegotiation, RFC 5246 §7.2.2). */
  sendWarningAlert(code: number): void {
    this.writeAlert(code, AlertLevel.warning);
  }

  /**
   * Frames a handshake message, adds it to `transcript` (the sending state's) and queues it
   * protected (with the rest of its flight: RecordLayer.send).
   */
  sendHandshake(type: number, body: Uint8Array, transcript: Transcript): Uint8Array {
    const raw = frameHandshake(type, body);
    if (type === HandshakeType.finished) this.facts.finished = body.slice();
    transcript.add(raw);
    this.records.send(ContentType.handshake, raw);
    return raw;
  }

  /** Queues an already framed message without touching the transcript (ClientHello replays). */
  sendRaw(type: number, data: Uint8Array): void {
    this.records.send(type, data);
  }

  /** From now on, records of `direction` are protected with `keys` (RFC 8446 §7.3, RFC 5246 §6.3). */
  installKeys(direction: Direction, keys: RecordKeys): void {
    this.records.installKeys(direction, keys);
  }

  /** One NSS key log line: `label`, the handshake's ClientHello.random, `secret`. */
  keyLog(label: string, clientRandom: Uint8Array, secret: Uint8Array): void {
    const { keyLog } = this.config;
    if (keyLog === undefined && this.events.onKeyLog === undefined) return;
    const line = `${label} ${toHex(clientRandom)} ${toHex(secret)}`;
    keyLog?.(line);
    this.events.onKeyLog?.(line);
  }

  /**
   * Waits for a user callback that may answer now or later. `register` receives a once-only
   * callback; `then` turns its value into the next state. If the answer is synchronous the
   * handshake just continues; otherwise it pauses and input is buffered until the answer.
   */
  waitFor<T>(
    register: (answer: (value: T) => void) => void,
    then: (value: T) => HandshakeState,
    name: string,
  ): HandshakeState {
    let answered = false;
    let value: T | undefined;
    let waiting = false;
    register((v: T) => {
      if (this.status === 'invalidated') throw new InvalidatedError('the connection was invalidated');
      if (answered) throw new InvalidatedError('the certificate chain callback was already invoked');
      answered = true;
      value = v;
      if (waiting) this.resume(() => then(v));
    });
    if (answered) return then(value as T);
    waiting = true;
    this.handshake('waitFor').paused = true;
    this.status = 'waiting';
    return {
      name,
      handle: () => refuse('MessageWhileWaiting', `message while waiting for ${name}`),
    };
  }

  handshakeComplete(): void {
    const handshake = this.handshake('handshakeComplete');
    this.completed = true;
    this.records.handshakeComplete();
    this.status = 'open';
    this.events.onHandshakeComplete?.();
    const queued = handshake.queuedApplicationData ?? [];
    handshake.queuedApplicationData = undefined;
    handshake.queuedBytes = 0;
    for (const data of queued) this.sendApplicationData(data);
    if (handshake.closeRequested) this.sendCloseNotify();
  }

  /** The handshake completed at some point (the connection may have closed since). */
  get completedHandshake(): boolean {
    return this.completed;
  }

  /** Closed, invalidated or peerClosed: input is no longer read (RFC 8446 §6.1: data after close_notify is ignored). */
  private get stopped(): boolean {
    return this.status === 'closed' || this.status === 'invalidated' || this.status === 'peerClosed';
  }

  get handshakeDone(): boolean {
    return this.status === 'open' || this.status === 'closing';
  }

  /** Raises the pending async error, or InvalidatedError after a fatal error or the close. */
  assertUsable(): void {
    if (this.pendingError) {
      const e = this.pendingError;
      this.pendingError = undefined;
      throw e;
    }
    if (this.status === 'invalidated')
      throw new InvalidatedError('the connection was invalidated by an earlier error');
    if (this.status === 'closed') throw new InvalidatedError('the connection is closed');
  }

  // --- Internals ---

  /**
   * Runs `fn`, flushes output, and turns failures into alert + invalidation + exception. Called
   * from inside another call (an event handler sending data), `fn` just queues its output for the
   * outer call to flush, and its failures go to the outer call.
   */
  private call(fn: () => void): void {
    if (this.inCall) {
      fn();
      return;
    }
    this.inCall = true;
    try {
      fn();
      // RFC 8446 §4.6.3 only asks that the answer precede our next data: a full transport defers it.
      if (!this.transportFull) this.answerKeyUpdate();
    } catch (error) {
      this.inCall = false;
      throw this.failWith(error);
    } finally {
      this.inCall = false;
    }
    // The handshake is over: what only it needed goes (KeyUpdate, tickets and exporters use
    // the secrets kept by the traffic state).
    if (this.completed) this.handshakeOnly = undefined;
    this.flush();
    if (this.wireCloseAfterFlush) {
      this.wireCloseAfterFlush = false;
      this.wireClose(false);
    }
  }

  private failWith(error: unknown): unknown {
    if (error instanceof ProtocolViolation) {
      this.writeAlert(error.alert, AlertLevel.fatal);
      this.invalidate(true);
      return new BadTLSDataError(error.message, error.alert, error.reason);
    }
    if (error instanceof TLSAlertError) {
      this.invalidate(true);
      return error;
    }
    // A user callback's exception (verifyCallback, as the design's start() says) or an internal failure: no alert
    // is owed for the former; for anything else the peer gets internal_error.
    if (!(error instanceof UserCallbackError))
      this.writeAlert(AlertDescription.internal_error, AlertLevel.fatal);
    this.invalidate(true);
    return error instanceof UserCallbackError ? error.cause : error;
  }

  private resume(next: () => HandshakeState): void {
    this.handshake('resume').paused = false;
    this.status = 'handshaking';
    this.processWaitingInput(() => {
      this.state = next();
    });
  }

  /**
   * Runs `step`, then processes the input that waited (for a callback) outside dataFromWire, and
   * sends what is owed (a KeyUpdate deferred by a full transport): data goes to onApplicationData
   * and errors to onError, or else to the next dataFromWire call.
   */
  private processWaitingInput(step: () => void): void {
    try {
      this.call(() => {
        step();
        this.process();
      });
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      if (this.events.onError) this.events.onError(e);
      else this.pendingError = e;
      return;
    } finally {
      this.records.release();
    }
    if (this.received) {
      const data = concat(this.received);
      this.received = undefined;
      if (this.events.onApplicationData) this.events.onApplicationData(data);
      else this.received = [data];
    }
  }

  /** @internal The record layer's output (RecordOutput). */
  queueOutput(records: Uint8Array): void {
    if (this.output) this.output.push(records);
    else this.output = [records];
  }

  // --- RecordSink: what the records carry goes to the current state (handshake messages) or the
  // driver (the rest). Methods, not closures: nothing per connection. ---

  /** @internal */
  handshakeMessage(message: HandshakeMessage): void {
    this.state = this.state.handle(message);
  }

  /** @internal */
  changeCipherSpec(): void {
    if (this.state.handleChangeCipherSpec) this.state = this.state.handleChangeCipherSpec();
    else this.records.dropChangeCipherSpec();
  }

  /** @internal */
  alert(fragment: Uint8Array): void {
    this.handleAlert(fragment);
  }

  /** @internal */
  applicationData(data: Uint8Array): void {
    this.receive(data);
  }

  private receive(data: Uint8Array): void {
    if (this.received) this.received.push(data);
    else this.received = [data];
  }

  private flush(): void {
    this.records.flush();
    const output = this.output;
    if (!output) return;
    this.output = undefined;
    if (this.events.writeToWireParts) this.events.writeToWireParts(output);
    else this.writeToWire!(output.length === 1 ? output[0]! : concat(output));
  }

  /** The design's wireClose, through the events object when it has one. */
  private wireClose(immediate: boolean): void {
    if (this.events.wireClose) this.events.wireClose(immediate);
    else this.closeWire!(immediate);
  }

  private invalidate(immediate: boolean): void {
    if (this.status === 'invalidated') return;
    this.status = 'invalidated';
    this.onInvalidate?.();
    this.flush();
    this.wireClose(immediate);
  }

  private writeAlert(code: number, level: number): void {
    try {
      this.records.send(ContentType.alert, new Uint8Array([level, code]));
    } catch {
      // Keys exhausted: nothing more can be sent; the close still happens.
    }
  }

  private sendApplicationData(data: Uint8Array): void {
    // RFC 8446 §4.6.3: an owed KeyUpdate goes before our next application data.
    this.answerKeyUpdate();
    this.records.sendApplicationData(data, () => this.state.rekey?.());
  }

  private process(): void {
    while (
      !this.handshakeOnly?.paused &&
      (this.status === 'handshaking' || this.status === 'open' || this.status === 'closing')
    ) {
      if (!this.records.readNext(this)) break;
    }
  }

  private handleAlert(fragment: Uint8Array): void {
    // An alert record without an alert is a record of nothing (as OpenSSL: unexpected_message).
    if (fragment.length === 0) refuse('EmptyAlertRecord', 'empty alert record');
    // RFC 8446 §6: an alert is exactly level + description.
    const { level, description: code } = decode(Alert, fragment);
    if (level !== AlertLevel.warning && level !== AlertLevel.fatal) {
      refuse('BadAlertLevel', `alert with level ${level}`);
    }
    if (code === AlertDescription.close_notify) {
      this.peerClosed();
      return;
    }
    if (level === AlertLevel.warning && (code === AlertDescription.user_canceled || this.speaksTls12)) {
      // RFC 8446 §6.1: user_canceled is followed by close_notify; it is not an error by itself.
      // RFC 5246 §7.2: in TLS 1.2 any other warning leaves the connection usable too (we never
      // ask to renegotiate, so no_renegotiation is just a warning).
      this.records.countWarningAlert();
      if (code !== AlertDescription.user_canceled) this.reportWarningAlert(code);
      return;
    }
    // RFC 8446 §6.2: every other alert is an error alert whatever its level; both sides close.
    throw new TLSAlertError(code, level);
  }

  /** TLS 1.2, or not yet known and TLS 1.2 enabled (a server's warning may precede its ServerHello). */
  private get speaksTls12(): boolean {
    return this.version === undefined ? this.config.versions.includes('TLSv1.2') : this.version === 'TLSv1.2';
  }

  private reportWarningAlert(code: number): void {
    this.warningAlerts ??= [];
    const kept = this.warningAlerts;
    if (kept.length === MAX_WARNING_ALERTS) kept.shift();
    kept.push(code);
    this.events.onWarningAlert?.(code);
  }

  /** Sends the KeyUpdate the peer asked for, once however many requests came (RFC 8446 §4.6.3). */
  private answerKeyUpdate(): void {
    if (!this.keyUpdateOwed) return;
    this.keyUpdateOwed = false;
    if (this.status === 'open' || this.status === 'peerClosed') this.state.rekey?.();
  }

  /** The design's common states: the peer's close_notify. */
  private peerClosed(): void {
    if (this.config.halfClose && this.status === 'open' && this.version === 'TLSv1.3') {
      // RFC 8446 §6.1: close_notify closes the peer's write side only; ours stays open until
      // applicationFinished(). (TLS 1.2 answers at once: RFC 5246 §7.2.1.)
      this.status = 'peerClosed';
      this.ended = true;
      this.events.onEnd?.();
      return;
    }
    const weStarted = this.status === 'closing';
    if (!weStarted) this.writeAlert(AlertDescription.close_notify, AlertLevel.warning);
    this.status = 'closed';
    this.ended = true;
    this.flush();
    // RFC 8446 §6.1: data after close_notify is ignored; the read side is shut.
    this.wireClose(weStarted);
    this.events.onEnd?.();
  }

  describe(): string {
    return `${this.role} ${this.status} in ${this.state.name}${this.facts.tlsVersion ? ` (${this.facts.tlsVersion})` : ''}`;
  }
}

export { alertName };
