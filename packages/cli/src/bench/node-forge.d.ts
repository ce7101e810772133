// The part of node-forge 1.x's untyped forge.tls API the benchmark uses (there is no @types
// package in the workspace). Forge speaks binary strings: one char per byte.
declare module 'node-forge' {
  interface ForgeBuffer {
    getBytes(): string;
    length(): number;
  }
  interface ForgeSessionCache {
    getSession(id?: string): unknown;
    setSession(id: string, session: unknown): void;
    order: string[];
  }
  interface ForgeConnection {
    readonly tlsData: ForgeBuffer;
    readonly data: ForgeBuffer;
    readonly version: { readonly major: number; readonly minor: number };
    readonly session: {
      readonly resuming?: boolean;
      readonly cipherSuite?: { readonly name: string };
    } | null;
    readonly isConnected: boolean;
    handshake(sessionId?: string | null): void;
    process(data: string): number;
    prepare(data: string): boolean;
    close(clearFail?: boolean): ForgeConnection;
  }
  interface ForgeError {
    readonly message: string;
  }
  interface ForgeConnectionOptions {
    server: boolean;
    caStore?: string[];
    sessionCache?: ForgeSessionCache | null;
    cipherSuites?: unknown[];
    virtualHost?: string;
    verify?: (c: ForgeConnection, verified: unknown, depth: number, certs: unknown[]) => unknown;
    getCertificate?: (c: ForgeConnection, hint: unknown) => string | string[];
    getPrivateKey?: (c: ForgeConnection, certificate: unknown) => string;
    connected: (c: ForgeConnection) => void;
    tlsDataReady: (c: ForgeConnection) => void;
    dataReady: (c: ForgeConnection) => void;
    closed: (c: ForgeConnection) => void;
    error: (c: ForgeConnection, error: ForgeError) => void;
  }
  const forge: {
    tls: {
      createConnection(options: ForgeConnectionOptions): ForgeConnection;
      createSessionCache(cache?: object, capacity?: number): ForgeSessionCache;
      CipherSuites: Record<string, unknown>;
    };
  };
  export default forge;
}
