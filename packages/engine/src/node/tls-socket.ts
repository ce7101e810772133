// A node:tls-style TLSSocket: a stream.Duplex of plaintext over any Duplex transport (usually a
// net.Socket), driven by a sans-IO Connection. Backpressure: the transport is paused while our
// readable side is full, and a write completes only when the transport accepted its records, so
// neither direction buffers without bound.
import { Duplex } from 'node:stream';
import type { Certificate } from '@tls-kit/certs';
import type { VerifyCallback } from '../client/client-tls.js';
import type { Connection } from '../connection.js';
import type { ConnectionEvents, WireClose, WriteToWire } from '../core.js';
import { authorizationError } from './authorization.js';
import { type PeerCertificate, peerCertificate, peerCertificateChain } from './peer-certificate.js';

/** Both ClientTLS and ServerTLS start connections with this signature. */
export interface Starter {
  start(
    writeToWire: WriteToWire,
    wireClose: WireClose,
    verifyCallback?: VerifyCallback,
    events?: ConnectionEvents,
  ): Connection;
}

export interface TLSSocketInit {
  readonly isServer: boolean;
  /** The engine side of this socket; receives the socket so its callbacks (keyLog...) can reach it. */
  readonly tls: (socket: TLSSocket) => Starter;
  readonly verifyCallback?: VerifyCallback;
  /** Milliseconds the handshake may take; 0 for no limit. */
  readonly handshakeTimeout?: number;
  /** Replaces an engine error raised before the handshake completed (e.g. by the user's own Error). */
  readonly handshakeError?: (error: Error) => Error;
  /** node:tls allowHalfOpen: keep our writable side open after the peer's close_notify. Default false. */
  readonly allowHalfOpen?: boolean;
  /** Called to fetch the current session bytes for getSession() (client). */
  readonly getSession?: () => Uint8Array | undefined;
}

/** node:tls getCipher(). */
export interface CipherInfo {
  readonly name: string;
  readonly standardName: string;
  readonly version: string;
}

/** How long a transport may take to flush our last records (an alert, close_notify) before it is destroyed. */
const CLOSE_GRACE_MS = 2000;

const codeError = (message: string, code: string): Error => Object.assign(new Error(message), { code });

export class TLSSocket extends Duplex {
  /** node:tls compatibility: this socket encrypts. */
  readonly encrypted = true;
  /** True once the peer's certificate chain was verified (always the case for a completed client handshake). */
  authorized = false;
  /** Why the peer is not authorized (e.g. 'no peer certificate'), or null. */
  authorizationError: string | null = null;
  /** The negotiated ALPN protocol, or false (as in node:tls). */
  alpnProtocol: string | false = false;
  /** Server side: the SNI name the client asked for, or false. */
  servername: string | false = false;
  /** The engine connection (facts: tlsVersion, cipherSuite, namedGroup, resumed...). */
  readonly connection: Connection;

  private secure = false;
  private pausedTransport = false;
  private transportClosing = false;
  private waitingForSecure: (() => void)[] = [];
  private pendingWriteCallback: ((error?: Error | null) => void) | undefined;
  private handshakeTimer: NodeJS.Timeout | undefined;
  private readonly getSessionBytes: (() => Uint8Array | undefined) | undefined;
  private readonly handshakeError: ((error: Error) => Error) | undefined;

  constructor(
    /** The transport: a net.Socket or any Duplex of bytes. */
    readonly socket: Duplex,
    init: TLSSocketInit,
  ) {
    // The engine runs with halfClose (TLS 1.3, RFC 8446 §6.1): after the peer's close_notify we may
    // still write; with allowHalfOpen false (node's default) the writable side then ends by
    // itself once the readable side has, sending our close_notify after what was written.
    super({ allowHalfOpen: init.allowHalfOpen ?? false });
    this.getSessionBytes = init.getSession;
    this.handshakeError = init.handshakeError;
    if (init.handshakeTimeout) {
      this.handshakeTimer = setTimeout(
        () => this.destroy(codeError('TLS handshake timeout', 'ERR_TLS_HANDSHAKE_TIMEOUT')),
        init.handshakeTimeout,
      );
      this.handshakeTimer.unref?.();
    }
    const events: ConnectionEvents = {
      onHandshakeComplete: () => this.handshakeDone(),
      // Data and errors that surface when an asynchronous certificate callback resumes the handshake.
      onApplicationData: (data) => this.deliver(data),
      onError: (error) => this.destroy(error),
      // After the data returned by the same call has been pushed.
      onEnd: () => queueMicrotask(() => this.push(null)),
    };
    try {
      this.connection = init.tls(this).start(
        (data) => this.toWire(data),
        (immediate) => this.closeTransport(immediate),
        init.verifyCallback,
        events,
      );
    } catch (error) {
      // Bad options: nothing was sent; release the transport and report to the caller.
      clearTimeout(this.handshakeTimer);
      socket.destroy();
      throw error;
    }
    socket.on('data', (chunk: Buffer) => this.fromWire(chunk));
    socket.on('end', () => this.transportEnded());
    socket.on('error', (error: Error) => this.destroy(error));
    socket.on('close', () => {
      if (!this.destroyed) this.destroy(this.secure ? undefined : this.earlyCloseError());
    });
  }

  // --- node:tls accessors ---

  /** 'TLSv1.3' / 'TLSv1.2' once negotiated, else null. */
  getProtocol(): string | null {
    return this.connection.tlsVersion ?? null;
  }

  getCipher(): CipherInfo | undefined {
    const name = this.connection.cipherSuite;
    const version = this.connection.tlsVersion;
    return name && version ? { name, standardName: name, version } : undefined;
  }

  /** node:tls shape; `detailed` links issuerCertificate along the chain. An empty object when none. */
  getPeerCertificate(detailed = false): PeerCertificate | Record<string, never> {
    const chain = this.connection.peerCertificates;
    const leaf = chain[0];
    if (!leaf) return {};
    return (detailed ? peerCertificateChain(chain) : peerCertificate(leaf)) ?? {};
  }

  /** The peer's chain as parsed certificates, leaf first. */
  getPeerCertificates(): readonly Certificate[] {
    return this.connection.peerCertificates;
  }

  /** Client: the latest session (ticket) as bytes for the `session` option, or undefined. */
  getSession(): Buffer | undefined {
    const bytes = this.getSessionBytes?.();
    return bytes ? Buffer.from(bytes) : undefined;
  }

  isSessionReused(): boolean {
    return this.connection.resumed;
  }

  /** Exported keying material (RFC 8446 §7.5). */
  exportKeyingMaterial(length: number, label: string, context: Uint8Array = new Uint8Array(0)): Buffer {
    return Buffer.from(this.connection.exportKeyingMaterial(label, context, length));
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
    let data: Uint8Array;
    try {
      data = this.connection.dataFromWire(chunk);
    } catch (error) {
      const e = error as Error;
      this.destroy(!this.secure && this.handshakeError ? this.handshakeError(e) : e);
      return;
    }
    this.deliver(data);
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
    // A TCP FIN without close_notify: before the handshake the peer gave up; after it, the data
    // may have been truncated by an attacker (RFC 8446 §6.1), which the reader must hear about.
    this.destroy(
      this.secure
        ? codeError('the peer closed the connection without close_notify', 'ERR_TLS_UNEXPECTED_EOF')
        : this.earlyCloseError(),
    );
  }

  private earlyCloseError(): Error {
    return codeError('the transport closed before the TLS handshake completed', 'ECONNRESET');
  }

  private handshakeDone(): void {
    clearTimeout(this.handshakeTimer);
    const c = this.connection;
    this.secure = true;
    this.alpnProtocol = c.alpnProtocol ?? false;
    this.servername = c.serverName ?? false;
    this.authorizationError = authorizationError(c.peerVerification, c.peerCertificates);
    this.authorized = this.authorizationError === null;
    // Listeners run after the engine call that completed the handshake has returned.
    queueMicrotask(() => {
      if (this.destroyed) return;
      this.emit('secure');
      const waiting = this.waitingForSecure;
      this.waitingForSecure = [];
      for (const run of waiting) run();
    });
  }

  // --- writable -> engine -> transport ---

  private toWire(data: Uint8Array): void {
    if (this.socket.destroyed || this.socket.writableEnded) return;
    this.socket.write(data);
  }

  private whenSecure(run: () => void): void {
    if (this.secure) run();
    else this.waitingForSecure.push(run);
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
        this.connection.dataFromApplication(chunk);
      } catch (error) {
        callback(error as Error);
        return;
      }
      // The write is done when the transport took the records: that is our backpressure.
      if (this.socket.writableNeedDrain) {
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

  /** The engine's wireClose (seed chapter 1): shut the transport, letting queued records out. */
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
