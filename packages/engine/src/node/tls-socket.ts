// A node:tls-style TLSSocket: a stream.Duplex of plaintext over any Duplex transport (usually a
// net.Socket), driven by a sans-IO Connection. Backpressure: the transport is paused while our
// readable side is full (whatever our writable side does, as node:tls), a write completes only
// when the transport accepted its records, and while our output is over the transport's
// high-water mark the engine defers the answers a peer can ask for (Connection.setTransportFull),
// so neither direction buffers without bound.
import { X509Certificate } from 'node:crypto';
import net from 'node:net';
import { Duplex } from 'node:stream';
import type { Certificate } from '@tls-kit/certs';
import { concat } from '@tls-kit/crypto/bytes';
import type { Connection } from '../connection.js';
import type { ConnectionEvents } from '../core.js';
import { TLSUsageError } from '../errors.js';
import { authorizationError } from './authorization.js';
import { type ClientSocketOptions, clientInit } from './client-config.js';
import { invalidArgType, nodeError, nodeErrorFrom } from './errors.js';
import { logKeyLine } from './keylog.js';
import { groupDisplayName, opensslSigalgName, type SecureContext, withSecureContext } from './options.js';
import { type PeerCertificate, peerCertificate, peerCertificateChain } from './peer-certificate.js';
import { type ServerPskCallback, type ServerSocketOptions, serverConfig } from './server-config.js';
import { sessionTicket } from './session.js';
import type { TLSSocketInit } from './socket-init.js';
import { Tracer } from './trace.js';

/** `new TLSSocket(socket, options)` as node:tls takes it. */
export interface TLSSocketOptions
  extends Omit<ClientSocketOptions, 'engine' | 'pskCallback'>,
    Omit<ServerSocketOptions<TLSSocket>, 'engine' | 'rejectUnauthorized' | 'pskCallback'> {
  /** The client's or the server's pskCallback (see ClientSocketOptions, ServerSocketOptions). */
  readonly pskCallback?: ClientSocketOptions['pskCallback'] | ServerPskCallback<TLSSocket>;
  readonly isServer?: boolean;
  readonly server?: net.Server;
  readonly secureContext?: SecureContext;
  readonly highWaterMark?: number;
  /** The records, decoded by our dissector, on stderr (node:tls enableTrace). */
  readonly enableTrace?: boolean;
  /** Milliseconds the handshake may take; 0 for no limit. */
  readonly handshakeTimeout?: number;
  /** Destroys the socket with an AbortError when aborted. */
  readonly signal?: AbortSignal;
}

const isInit = (init: TLSSocketInit<TLSSocket> | TLSSocketOptions): init is TLSSocketInit<TLSSocket> =>
  typeof (init as { tls?: unknown }).tls === 'function';

/** The TLSSocketInit of node's `new TLSSocket(socket, options)`. */
function nodeSocketInit(given: TLSSocketOptions): TLSSocketInit<TLSSocket> {
  const options = withSecureContext(given);
  const common = {
    ...(options.highWaterMark !== undefined ? { highWaterMark: options.highWaterMark } : {}),
    ...(options.allowHalfOpen ? { allowHalfOpen: true } : {}),
    ...(options.server ? { server: options.server } : {}),
    ...(options.handshakeTimeout ? { handshakeTimeout: options.handshakeTimeout } : {}),
    ...(options.enableTrace ? { enableTrace: true } : {}),
  };
  if (!options.isServer) return { ...clientInit(options as ClientSocketOptions), ...common };
  const config = serverConfig(options as ServerSocketOptions<TLSSocket>, (line, socket: TLSSocket) =>
    options.server?.emit('keylog', line, socket),
  );
  return {
    ...common,
    isServer: true,
    tls: (socket) => config.tls(socket),
    rejectUnverifiedPeer: config.rejectUnverified,
  };
}

/** node:tls getCipher(). */
export interface CipherInfo {
  readonly name: string;
  readonly standardName: string;
  readonly version: string;
}

/** OpenSSL's names for the suites, as node:tls' getCipher().name gives them. */
const OPENSSL_CIPHER_NAMES: Record<string, string> = {
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: 'ECDHE-ECDSA-AES128-GCM-SHA256',
  TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: 'ECDHE-ECDSA-AES256-GCM-SHA384',
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-ECDSA-CHACHA20-POLY1305',
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: 'ECDHE-RSA-AES128-GCM-SHA256',
  TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: 'ECDHE-RSA-AES256-GCM-SHA384',
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-RSA-CHACHA20-POLY1305',
  TLS_DHE_RSA_WITH_AES_128_GCM_SHA256: 'DHE-RSA-AES128-GCM-SHA256',
  TLS_DHE_RSA_WITH_AES_256_GCM_SHA384: 'DHE-RSA-AES256-GCM-SHA384',
};

/** node:tls getEphemeralKeyInfo(). */
export interface EphemeralKeyInfo {
  /** 'TLSGroup': a group whose peer key is no single DH/ECDH key (a hybrid KEM), named without a size. */
  readonly type?: 'ECDH' | 'DH' | 'TLSGroup';
  readonly name?: string;
  readonly size?: number;
}

/** OpenSSL's short names and key sizes of the groups (OBJ_nid2sn, EVP_PKEY_bits), as node reports them. */
const GROUP_INFO: Record<string, { name: string; size: number }> = {
  x25519: { name: 'X25519', size: 253 },
  x448: { name: 'X448', size: 448 },
  secp256r1: { name: 'prime256v1', size: 256 },
  secp384r1: { name: 'secp384r1', size: 384 },
  secp521r1: { name: 'secp521r1', size: 521 },
  ffdhe2048: { name: 'ffdhe2048', size: 2048 },
  ffdhe3072: { name: 'ffdhe3072', size: 3072 },
};

/** Output pieces under this many bytes are joined with their neighbours before they are written. */
const SMALL_PIECE = 64;
/** A call's output under this many bytes is joined into one buffer instead of a gather write. */
const JOIN_BELOW = 16 * 1024;

/** How long a transport may take to flush our last records (an alert, close_notify) before it is destroyed. */
const CLOSE_GRACE_MS = 2000;

const codeError = (message: string, code: string): Error => Object.assign(new Error(message), { code });

/** The TLSSocket a transport carries, for the transport listeners (shared functions, not closures per socket). */
const OWNER = Symbol('TLSSocket');
type Transport = Duplex & { [OWNER]: TLSSocket };

export class TLSSocket extends Duplex {
  /**
   * The engine's events of one socket, as methods of one small object: no closures kept per
   * connection. Inside the class body, so that it reaches the socket's private members.
   */
  private static readonly Events = class implements ConnectionEvents {
    constructor(protected readonly socket: TLSSocket) {}

    onHandshakeComplete(): void {
      this.socket.handshakeDone();
    }

    /** Data and errors that surface when an asynchronous certificate callback resumes the handshake. */
    onApplicationData(data: Uint8Array): void {
      this.socket.deliver(data);
    }

    onError(error: Error): void {
      this.socket.destroy(nodeErrorFrom(error));
    }

    /** After the data returned by the same call has been pushed. */
    onEnd(): void {
      queueMicrotask(() => this.socket.endReadable());
    }

    /** The engine's output as pieces (records sealed without a copy of the data): one gather write. */
    writeToWireParts(pieces: readonly Uint8Array[]): void {
      this.socket.toWireParts(pieces);
    }

    /** start()'s wireClose as a method: the engine keeps no closure of this socket. */
    wireClose(immediate: boolean): void {
      this.socket.closeTransport(immediate);
    }
  };

  /**
   * A client's events: its key log lines as 'keylog' events (and --tls-keylog's file), so that
   * its engine configuration holds nothing of the socket. A server's lines go to its server.
   */
  private static readonly ClientEvents = class extends TLSSocket.Events {
    onKeyLog(line: string): void {
      logKeyLine(line, (bytes) => this.socket.emit('keylog', bytes));
    }
  };

  /** True once the peer's certificate chain was verified (always the case for a completed client handshake). */
  authorized = false;
  /** Why the peer is not authorized (e.g. 'no peer certificate'), or null. */
  authorizationError: string | null = null;
  /** The negotiated ALPN protocol, or false (as in node:tls). */
  alpnProtocol: string | false = false;
  /** Server side: the SNI name the client asked for, or false. */
  servername: string | false = false;
  private secure = false;
  private pausedTransport = false;
  /** Our output is over the transport's high-water mark: the engine defers its answers until 'drain'. */
  private outputBlocked = false;
  private transportClosing = false;
  /** Work waiting for the handshake (writes, the end), created by the first. */
  private waitingForSecure: (() => void)[] | undefined;
  private pendingWriteCallback: ((error?: Error | null) => void) | undefined;
  /** setMaxSendFragment(): the most plaintext bytes per record we send; none set: the engine's. */
  private maxSendFragment: number | undefined;
  private handshakeTimer: NodeJS.Timeout | undefined;
  private readonly sessions: TLSSocketInit<TLSSocket>['sessions'];
  private readonly rejectUnverifiedPeer: boolean;
  /** Records written before a net.Socket we were given connected (node starts then too). */
  private beforeConnect: Uint8Array[] | undefined;
  private engine: Connection | undefined;
  private tracer: Tracer | undefined;
  /** Until our first flight is on the wire (setServername() may start the engine again). */
  private init: TLSSocketInit<TLSSocket> | undefined;
  /** The transport: a net.Socket or any Duplex of bytes. */
  readonly socket: Duplex;
  /** node:tls' `server` of an accepted socket. */
  readonly server: net.Server | undefined;
  /** The idle timeout set by setTimeout() (net.Socket's `timeout`). */
  timeout: number | undefined;
  /** Our own side, as node:tls says it. */
  readonly isServer: boolean;
  /**
   * True when the transport ended after the handshake without the peer's close_notify: the data
   * may have been truncated (RFC 8446 §6.1). node:tls ends the stream cleanly then; so do we.
   */
  closedWithoutCloseNotify = false;

  /**
   * node:tls' `new TLSSocket(socket, options)`: wraps `socket` (connected, connecting or not
   * yet; a new net.Socket when omitted, see connect()). The adapter's own entry points pass a
   * TLSSocketInit instead.
   */
  constructor(socket?: Duplex, init: TLSSocketInit<TLSSocket> | TLSSocketOptions = {}) {
    if (socket !== undefined && !(socket instanceof Duplex))
      throw invalidArgType('socket', 'an instance of stream.Duplex', socket);
    if (typeof init !== 'object' || init === null) throw invalidArgType('options', 'of type object', init);
    const setup = isInit(init) ? init : nodeSocketInit(init);
    // The engine runs with halfClose (TLS 1.3, RFC 8446 §6.1): after the peer's close_notify we may
    // still write; with allowHalfOpen false (node's default) the writable side then ends by
    // itself once the readable side has, sending our close_notify after what was written.
    super({
      allowHalfOpen: setup.allowHalfOpen ?? false,
      ...(setup.highWaterMark !== undefined ? { highWaterMark: setup.highWaterMark } : {}),
    });
    this.init = setup;
    this.socket = socket ?? new net.Socket({ allowHalfOpen: true });
    this.server = setup.server;
    this.isServer = setup.isServer;
    this.sessions = setup.sessions;
    this.rejectUnverifiedPeer = setup.rejectUnverifiedPeer ?? false;
    if (setup.enableTrace) this.enableTrace();
    const signal = isInit(init) ? undefined : init.signal;
    if (signal) {
      const abort = () =>
        this.destroy(
          nodeError('ABORT_ERR', 'The operation was aborted', { name: 'AbortError', cause: signal.reason }),
        );
      if (signal.aborted) queueMicrotask(abort);
      else signal.addEventListener('abort', abort, { once: true });
    }
    if (setup.handshakeTimeout) {
      this.handshakeTimer = setTimeout(
        () => this.destroy(codeError('TLS handshake timeout', 'ERR_TLS_HANDSHAKE_TIMEOUT')),
        setup.handshakeTimeout,
      );
      this.handshakeTimer.unref?.();
    }
    const transport = this.socket;
    // A net.Socket not connected yet: our first flight waits for 'connect', as node's _start does.
    if (transport instanceof net.Socket && transport.pending) {
      this.beforeConnect = [];
      transport.once('connect', () => {
        const queued = this.beforeConnect ?? [];
        this.beforeConnect = undefined;
        this.init = undefined;
        for (const bytes of queued) this.toWire(bytes);
        this.emit('connect');
      });
    }
    this.start();
    if (!this.beforeConnect) this.init = undefined;
    (transport as Transport)[OWNER] = this;
    const listeners = TLSSocket.fromTransport;
    transport.on('data', listeners.data);
    transport.on('end', listeners.end);
    transport.on('error', listeners.error);
    transport.on('close', listeners.close);
  }

  /** The transport's listeners, called with the transport as `this`: the same functions for every socket. */
  private static readonly fromTransport = {
    data(this: Transport, chunk: Buffer): void {
      this[OWNER].fromWire(chunk);
    },
    end(this: Transport): void {
      this[OWNER].transportEnded();
    },
    error(this: Transport, error: Error): void {
      this[OWNER].destroy(error);
    },
    close(this: Transport): void {
      const socket = this[OWNER];
      if (!socket.destroyed) socket.destroy(socket.secure ? undefined : socket.earlyCloseError());
    },
  };

  private start(servername?: string): void {
    const events = this.isServer ? new TLSSocket.Events(this) : new TLSSocket.ClientEvents(this);
    try {
      // The design's callbacks; the engine keeps neither, the events object has both
      // (writeToWireParts, wireClose).
      this.engine = this.init!.tls(this, servername).start(
        (data) => this.toWire(data),
        (immediate) => this.closeTransport(immediate),
        this.init!.verifyCallback,
        events,
      );
    } catch (error) {
      // Bad options: nothing was sent; release the transport and report to the caller.
      clearTimeout(this.handshakeTimer);
      this.socket.destroy();
      throw error;
    }
  }

  /** node:tls compatibility: this socket encrypts (on the prototype: nothing kept per socket). */
  get encrypted(): true {
    return true;
  }

  /** node:tls enableTrace(): from now on, every record on stderr, decoded by our dissector. */
  enableTrace(): void {
    this.tracer = this.tracer ?? new Tracer(this.isServer ? 'server' : 'client');
  }

  /** The engine connection (facts: tlsVersion, cipherSuite, namedGroup, resumed...). */
  get connection(): Connection {
    return this.engine!;
  }

  /** net.Socket's connect() for a TLSSocket made without a transport (node:tls does the same). */
  connect(...args: unknown[]): this {
    (this.socket as net.Socket).connect(...(args as Parameters<net.Socket['connect']>));
    return this;
  }

  /**
   * Client, before our first flight went out (a transport still connecting): the SNI name to
   * send. node:tls throws ERR_TLS_SNI_FROM_SERVER on a server socket.
   */
  setServername(name: string): void {
    if (typeof name !== 'string') throw invalidArgType('name', 'of type string', name);
    if (this.isServer) {
      throw nodeError('ERR_TLS_SNI_FROM_SERVER', 'Cannot issue SNI from a TLS server-side socket');
    }
    // Once the ClientHello is on the wire, what it says cannot change.
    if (this.beforeConnect === undefined)
      throw new TLSUsageError('setServername() after the ClientHello was sent');
    this.beforeConnect = [];
    this.start(name);
  }

  // --- node:tls accessors ---

  /** 'TLSv1.3' / 'TLSv1.2' once negotiated, else null. */
  getProtocol(): string | null {
    return this.engine?.tlsVersion ?? null;
  }

  /** node:tls shape: `name` is OpenSSL's, `standardName` the IANA name. */
  getCipher(): CipherInfo | undefined {
    const name = this.engine?.cipherSuite;
    const version = this.engine?.tlsVersion;
    return name && version
      ? { name: OPENSSL_CIPHER_NAMES[name] ?? name, standardName: name, version }
      : undefined;
  }

  /** node:tls shape; `detailed` links issuerCertificate along the chain. An empty object when none. */
  getPeerCertificate(detailed = false): PeerCertificate | Record<string, never> {
    const chain = this.engine?.peerCertificates ?? [];
    const leaf = chain[0];
    if (!leaf) return {};
    return (detailed ? peerCertificateChain(chain) : peerCertificate(leaf)) ?? {};
  }

  /** Our own certificate in the getPeerCertificate() shape, or an empty object (node:tls getCertificate). */
  getCertificate(): PeerCertificate | Record<string, never> {
    const own = this.engine?.localCertificates[0];
    return own ? peerCertificate(own) : {};
  }

  /** The peer's certificate as node:crypto's X509Certificate, or undefined. */
  getPeerX509Certificate(): X509Certificate | undefined {
    const leaf = this.engine?.peerCertificates[0];
    return leaf ? new X509Certificate(leaf.getAsn1Bytes()) : undefined;
  }

  /** Our certificate as node:crypto's X509Certificate, or undefined. */
  getX509Certificate(): X509Certificate | undefined {
    const own = this.engine?.localCertificates[0];
    return own ? new X509Certificate(own.getAsn1Bytes()) : undefined;
  }

  /** The peer's chain as parsed certificates, leaf first. */
  getPeerCertificates(): readonly Certificate[] {
    return this.engine?.peerCertificates ?? [];
  }

  /** Client: the key exchange group (node:tls getEphemeralKeyInfo); an empty object on a server, as node. */
  getEphemeralKeyInfo(): EphemeralKeyInfo | null {
    if (this.isServer) return null;
    const group = this.engine?.namedGroup;
    if (!group) return {};
    const info = GROUP_INFO[group];
    // As node with OpenSSL 3.5+ reports a hybrid group (X25519MLKEM768): OpenSSL's group name,
    // and no size, there being no one key size for an ML-KEM + ECDH share.
    if (!info) return { type: 'TLSGroup', name: groupDisplayName(group) };
    if (group.startsWith('ffdhe')) return { type: 'DH', size: info.size };
    return { type: 'ECDH', name: info.name, size: info.size };
  }

  /** The verify_data of our latest Finished (RFC 8446 §4.4.4), or undefined before the handshake. */
  getFinished(): Buffer | undefined {
    const data = this.engine?.finished;
    return data ? Buffer.from(data) : undefined;
  }

  /** The verify_data of the peer's latest Finished, or undefined before the handshake. */
  getPeerFinished(): Buffer | undefined {
    const data = this.engine?.peerFinished;
    return data ? Buffer.from(data) : undefined;
  }

  /**
   * The signature schemes both sides accept, in the peer's order and OpenSSL's "RSA-PSS+SHA256"
   * form (node:tls): a client has none unless the server asked for a certificate.
   */
  getSharedSigalgs(): string[] {
    return this.engine?.sharedSignatureSchemes.map(opensslSigalgName) ?? [];
  }

  /** Client: the latest session ticket's bytes (TLS 1.3 or RFC 5077), or undefined. */
  getTLSTicket(): Buffer | undefined {
    const bytes = this.sessions?.bytes();
    return bytes ? sessionTicket(bytes) : undefined;
  }

  /** Client: the latest session (ticket) as bytes for the `session` option, or undefined. */
  getSession(): Buffer | undefined {
    const bytes = this.sessions?.bytes();
    return bytes ? Buffer.from(bytes) : undefined;
  }

  isSessionReused(): boolean {
    return this.engine?.resumed ?? false;
  }

  /**
   * node:tls setMaxSendFragment: for a size node accepts (512..16384), our application data
   * records carry at most `size` bytes from now on (the writes are cut before the engine seals
   * them); false and no change otherwise.
   */
  setMaxSendFragment(size: number): boolean {
    if (typeof size !== 'number') throw invalidArgType('size', 'of type number', size);
    if (size < 512 || size > 16384) return false;
    this.maxSendFragment = size;
    return true;
  }

  /** Renegotiation is never done (TLS 1.3 has none; TLS 1.2 refuses it, RFC 5746): nothing to disable. */
  disableRenegotiation(): void {}

  /**
   * node:tls renegotiate(): TLS 1.3 has none (OpenSSL's "wrong ssl version", as node reports);
   * TLS 1.2 renegotiation is not implemented. The callback gets the error; returns false.
   */
  renegotiate(_options: unknown, callback?: (error: Error | null) => void): boolean {
    const error =
      this.engine?.tlsVersion === 'TLSv1.3'
        ? nodeError('ERR_SSL_WRONG_SSL_VERSION', 'error:0A00010A:SSL routines::wrong ssl version', {
            library: 'SSL routines',
            reason: 'wrong ssl version',
          })
        : nodeError('ERR_TLS_RENEGOTIATION_DISABLED', 'TLS session renegotiation is not supported');
    if (callback) queueMicrotask(() => callback(error));
    return false;
  }

  /** Exported keying material (RFC 8446 §7.5). */
  exportKeyingMaterial(length: number, label: string, context: Uint8Array = new Uint8Array(0)): Buffer {
    if (typeof length !== 'number') throw invalidArgType('length', 'of type number', length);
    if (typeof label !== 'string') throw invalidArgType('label', 'of type string', label);
    if (!this.secure) {
      throw nodeError('ERR_TLS_INVALID_STATE', 'TLS socket connection must be securely established');
    }
    return Buffer.from(this.connection.exportKeyingMaterial(label, context, length));
  }

  /** Bytes waiting to be written (net.Socket's deprecated bufferSize). */
  get bufferSize(): number {
    return this.writableLength + ((this.socket as { writableLength?: number }).writableLength ?? 0);
  }

  /** net.Socket's destroySoon: end, then destroy once the writes are out. */
  destroySoon(): void {
    if (this.writable) this.end();
    if (this.writableFinished) this.destroy();
    else this.once('finish', () => this.destroy());
  }

  /** net.Socket's 'close' carries hadError. */
  override emit(event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'close' && args.length === 0) return super.emit('close', this.errored !== null);
    return super.emit(event, ...args);
  }

  // net.Socket pass-throughs so that code written for sockets (http, https.Agent) works.
  get remoteAddress(): string | undefined {
    return (this.socket as { remoteAddress?: string }).remoteAddress;
  }
  get remotePort(): number | undefined {
    return (this.socket as { remotePort?: number }).remotePort;
  }
  get remoteFamily(): string | undefined {
    return (this.socket as { remoteFamily?: string }).remoteFamily;
  }
  get localAddress(): string | undefined {
    return (this.socket as { localAddress?: string }).localAddress;
  }
  get localPort(): number | undefined {
    return (this.socket as { localPort?: number }).localPort;
  }
  address(): ReturnType<import('node:net').Socket['address']> | Record<string, never> {
    const s = this.socket as { address?: () => ReturnType<import('node:net').Socket['address']> };
    return s.address ? s.address() : {};
  }
  setNoDelay(noDelay?: boolean): this {
    (this.socket as { setNoDelay?: (v?: boolean) => void }).setNoDelay?.(noDelay);
    return this;
  }
  setKeepAlive(enable?: boolean, delay?: number): this {
    (this.socket as { setKeepAlive?: (e?: boolean, d?: number) => void }).setKeepAlive?.(enable, delay);
    return this;
  }
  /** Emits 'timeout' after `ms` of inactivity on the transport (as net.Socket does). */
  setTimeout(ms: number, callback?: () => void): this {
    this.timeout = ms;
    const s = this.socket as { setTimeout?: (ms: number, cb?: () => void) => void };
    if (callback) this.once('timeout', callback);
    s.setTimeout?.(ms, () => this.emit('timeout'));
    return this;
  }
  ref(): this {
    (this.socket as { ref?: () => void }).ref?.();
    return this;
  }
  unref(): this {
    (this.socket as { unref?: () => void }).unref?.();
    return this;
  }

  // --- transport -> engine -> readable ---

  private fromWire(chunk: Buffer): void {
    if (this.destroyed || this.connection.ended) return;
    this.tracer?.record(false, chunk);
    let parts: readonly Uint8Array[];
    try {
      // A record's data at a time: joining a chunk's records would copy them all once more.
      parts = this.connection.dataFromWireParts(chunk);
    } catch (error) {
      this.destroy(nodeErrorFrom(error as Error));
      return;
    }
    for (const data of parts) this.deliver(data);
  }

  private deliver(data: Uint8Array): void {
    if (data.length === 0 || this.destroyed) return;
    // A full readable side pauses the transport until _read asks for more.
    if (!this.push(Buffer.from(data.buffer, data.byteOffset, data.length)) && !this.pausedTransport) {
      this.pausedTransport = true;
      this.socket.pause();
    }
  }

  override _read(): void {
    if (this.pausedTransport) {
      this.pausedTransport = false;
      this.socket.resume();
    }
  }

  private transportEnded(): void {
    if (this.connection.ended || this.destroyed) return;
    if (!this.secure) {
      this.destroy(this.earlyCloseError());
      return;
    }
    // A TCP FIN without close_notify after the handshake: the data may have been truncated (RFC
    // 8446 §6.1). node:tls ends the stream cleanly then; the fact stays readable here.
    this.closedWithoutCloseNotify = true;
    this.endReadable();
  }

  /**
   * The peer is done sending. read(0) lets 'end' follow when nothing is left unread, also on a
   * socket never read or resumed, as node's net.Socket does at EOF: with allowHalfOpen false our
   * side then ends too and the connection closes. Unread data still holds 'end' back, as in node.
   */
  private endReadable(): void {
    this.push(null);
    this.read(0);
  }

  private earlyCloseError(): Error {
    return codeError('the transport closed before the TLS handshake completed', 'ECONNRESET');
  }

  private handshakeDone(): void {
    clearTimeout(this.handshakeTimer);
    // A cleared timer still holds its callback (and this socket's context): let both go.
    this.handshakeTimer = undefined;
    const c = this.connection;
    this.secure = true;
    this.alpnProtocol = c.alpnProtocol ?? false;
    this.servername = c.serverName ?? false;
    this.authorizationError = authorizationError(c.peerVerification, c.peerCertificates);
    this.authorized = this.authorizationError === null;
    // node:tls' onServerSocketSecure: with requestCert and rejectUnauthorized, a client whose
    // chain did not verify completed the handshake and is dropped without an error.
    if (this.rejectUnverifiedPeer && !this.authorized) {
      queueMicrotask(() => this.destroy());
      return;
    }
    // Listeners run after the engine call that completed the handshake has returned; until then
    // afterSecure() work waits with the rest.
    this.waitingForSecure ??= [];
    queueMicrotask(() => {
      if (this.destroyed) return;
      this.emit('secure');
      const waiting = this.waitingForSecure ?? [];
      this.waitingForSecure = undefined;
      for (const run of waiting) run();
    });
  }

  // --- writable -> engine -> transport ---

  private toWire(data: Uint8Array): void {
    if (this.writeOut(data)) this.checkOutputBlocked();
  }

  /**
   * A call's records as their pieces (TLS 1.3: header, the data's ciphertext, the content
   * type's, the tag), written corked: one gather write (writev) of the socket, and no buffer
   * the records are copied into. Runs of small pieces (a tag, the next record's header) are
   * joined first, each becoming one small buffer instead of a write of its own. Output under
   * JOIN_BELOW bytes (handshake flights, alerts, small writes) is joined and written whole.
   */
  private toWireParts(pieces: readonly Uint8Array[]): void {
    let total = 0;
    for (const piece of pieces) total += piece.length;
    // A handshake flight, an alert, a small write: one buffer, as cheap to copy as to gather.
    if (total < JOIN_BELOW) {
      this.toWire(pieces.length === 1 ? pieces[0]! : concat(pieces));
      return;
    }
    const transport = this.socket;
    transport.cork();
    let written = false;
    try {
      for (let i = 0; i < pieces.length; ) {
        let end = i + 1;
        if (pieces[i]!.length < SMALL_PIECE)
          while (end < pieces.length && pieces[end]!.length < SMALL_PIECE) end++;
        written = this.writeOut(end - i === 1 ? pieces[i]! : concat(pieces.slice(i, end))) || written;
        i = end;
      }
    } finally {
      transport.uncork();
    }
    if (written) this.checkOutputBlocked();
  }

  /** Writes to the transport, or queues until it connects; false when the transport is gone. */
  private writeOut(data: Uint8Array): boolean {
    this.tracer?.record(true, data);
    if (this.beforeConnect) {
      this.beforeConnect.push(data.slice());
      return false;
    }
    if (this.socket.destroyed || this.socket.writableEnded) return false;
    this.socket.write(data);
    return true;
  }

  private checkOutputBlocked(): void {
    // Our output over the transport's high-water mark (write() returned false, so 'drain'
    // follows): reading goes on, as node:tls does (two peers writing to each other must not both
    // stop), but the engine defers the answers a peer could ask for without bound (KeyUpdate).
    // What the application writes waits for the drain in _write. (The first flight is written
    // before `engine` is set.)
    if (this.outputBlocked || this.socket.writableLength <= this.socket.writableHighWaterMark) return;
    this.outputBlocked = true;
    this.engine?.setTransportFull(true);
    this.socket.once('drain', () => {
      this.outputBlocked = false;
      if (!this.destroyed) this.connection.setTransportFull(false);
    });
  }

  /** @internal Runs `run` once 'secure' was emitted (SessionEvents). */
  afterSecure(run: () => void): void {
    if (this.secure && !this.waitingForSecure) run();
    else if (this.waitingForSecure) this.waitingForSecure.push(run);
    else this.waitingForSecure = [run];
  }

  /** Runs `run` once the handshake completed, before 'secure' if it is not emitted yet. */
  private whenSecure(run: () => void): void {
    if (this.secure) run();
    else this.afterSecure(run);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.pendingWriteCallback = callback;
    this.whenSecure(() => {
      this.pendingWriteCallback = undefined;
      if (this.connection.state === 'closed') {
        // TLS 1.2 (RFC 5246 §7.2.1): the engine answered the peer's close_notify at once.
        callback(codeError('the peer closed the connection; no more data can be sent', 'EPIPE'));
        return;
      }
      try {
        const step = this.maxSendFragment ?? chunk.length;
        for (let at = 0; at < chunk.length; at += step)
          this.connection.dataFromApplication(chunk.subarray(at, at + step));
      } catch (error) {
        callback(error as Error);
        return;
      }
      // The write is done when the transport took the records: that is our backpressure. A
      // transport that wrote them out at once (its buffer under the high-water mark again) has
      // taken them, even though its own write() returned false and a 'drain' follows.
      const transport = this.socket;
      if (transport.writableNeedDrain && transport.writableLength >= transport.writableHighWaterMark) {
        this.pendingWriteCallback = callback;
        this.socket.once('drain', () => {
          this.pendingWriteCallback = undefined;
          callback();
        });
      } else callback();
    });
  }

  override _writev(chunks: { chunk: Buffer }[], callback: (error?: Error | null) => void): void {
    this._write(Buffer.concat(chunks.map((c) => c.chunk)), 'binary', callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.pendingWriteCallback = callback;
    this.whenSecure(() => {
      this.pendingWriteCallback = undefined;
      const state = this.connection.state;
      if (state === 'open' || state === 'peerClosed') {
        try {
          // close_notify, then a TCP half-close; the peer may still send until its close_notify.
          this.connection.applicationFinished();
        } catch (error) {
          callback(error as Error);
          return;
        }
        this.socket.end();
      }
      callback();
    });
  }

  /** The engine's wireClose (the design's wire_close_callback): shut the transport, letting queued records out. */
  private closeTransport(immediate: boolean): void {
    if (this.transportClosing) return;
    this.transportClosing = true;
    const socket = this.socket;
    // _final may have ended it already; a second end() builds an ERR_STREAM_ALREADY_FINISHED.
    if (!socket.writableEnded) socket.end();
    if (immediate && socket.writableFinished) {
      socket.destroy();
      return;
    }
    const timer = setTimeout(() => socket.destroy(), immediate ? CLOSE_GRACE_MS / 4 : CLOSE_GRACE_MS);
    timer.unref?.();
    socket.once('close', () => clearTimeout(timer));
    if (immediate) socket.once('finish', () => socket.destroy());
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    clearTimeout(this.handshakeTimer);
    this.pendingWriteCallback?.(error ?? codeError('the TLS socket was destroyed', 'ERR_STREAM_DESTROYED'));
    this.pendingWriteCallback = undefined;
    // An alert the engine wrote before failing gets its grace period; otherwise close now.
    if (!this.transportClosing) this.socket.destroy();
    callback(error);
  }
}
