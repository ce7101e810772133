// node-forge's forge.tls on net sockets: TLS 1.1 at most, RSA key exchange, AES-CBC + HMAC-SHA1
// (it has nothing newer), RSA certificates only (it cannot load EC keys). Every figure of this
// stack is therefore TLS 1.1, which the report says beside it.
import net from 'node:net';
import forge from 'node-forge';
import { SERVER_NAME } from './pki.js';
import {
  type Client,
  drainOf,
  type Listener,
  listenOnLoopback,
  type Params,
  type Side,
  SideQueue,
  type Stack,
} from './stack.js';

/** What forge negotiates in place of each AEAD (there is no ChaCha20 in forge). */
export function forgeSuite(params: Params): string | undefined {
  if (params.key !== 'rsa') return undefined;
  if (params.aead === 'aes-128-gcm') return 'TLS_RSA_WITH_AES_128_CBC_SHA';
  if (params.aead === 'aes-256-gcm') return 'TLS_RSA_WITH_AES_256_CBC_SHA';
  return undefined;
}

function suiteOf(params: Params): unknown {
  const name = forgeSuite(params);
  const suite = name === undefined ? undefined : forge.tls.CipherSuites[name];
  if (suite === undefined) throw new Error(`forge has no suite for ${params.key} / ${params.aead}`);
  return suite;
}

/** One socket driven by one forge connection. */
function attach(
  socket: net.Socket,
  options: Omit<
    Parameters<typeof forge.tls.createConnection>[0],
    'connected' | 'tlsDataReady' | 'dataReady' | 'closed' | 'error'
  >,
  established: (side: Side) => void,
  failed: (error: unknown) => void,
): ReturnType<typeof forge.tls.createConnection> {
  socket.setNoDelay(true);
  let side: Side | undefined;
  const report = (error: unknown) => (side ? side.onError?.(error) : failed(error));
  const connection = forge.tls.createConnection({
    ...options,
    connected: (c) => {
      side = {
        protocol: `TLSv1.${c.version.minor - 1}`,
        cipher: c.session?.cipherSuite?.name ?? '?',
        resumed: c.session?.resuming === true,
        send(data) {
          c.prepare(data.toString('binary'));
          return !socket.writableNeedDrain;
        },
        drained: () => drainOf(socket),
        onData: undefined,
        onError: undefined,
        // forge keeps a session when the connection is closed (c.close()), which destroy() does.
        sessionReady: Promise.resolve(),
        destroy: () => {
          c.close();
          socket.destroy();
        },
      };
      const ready = side;
      queueMicrotask(() => established(ready));
    },
    tlsDataReady: (c) => {
      socket.write(Buffer.from(c.tlsData.getBytes(), 'binary'));
    },
    dataReady: (c) => {
      const length = c.data.getBytes().length;
      if (length > 0) side?.onData?.(length);
    },
    closed: () => socket.destroy(),
    error: (_c, error) => {
      socket.destroy();
      report(new Error(`forge: ${error.message}`));
    },
  });
  socket.on('data', (buf: Buffer) => connection.process(buf.toString('binary')));
  socket.on('error', report);
  return connection;
}

export const forgeStack: Stack = {
  id: 'forge',
  label: 'node-forge 1.4.3 (TLS 1.1)',
  async listen(params): Promise<Listener> {
    const suite = suiteOf(params);
    const pem = params.pki[params.key];
    const chain = pem.chain.split(/(?<=-----END CERTIFICATE-----\n)/).filter((s) => s.trim() !== '');
    // Only when resuming: forge's server looks up an empty ClientHello session id as "any cached
    // session" (handleClientHello -> getSession('')) and resumes a session nobody offered.
    const sessionCache = params.resume ? forge.tls.createSessionCache({}, 1000) : null;
    const queue = new SideQueue();
    const server = net.createServer((socket) => {
      attach(
        socket,
        {
          server: true,
          sessionCache,
          cipherSuites: [suite],
          getCertificate: () => chain,
          getPrivateKey: () => pem.key,
        },
        (side) => queue.push(side),
        (error) => queue.fail(error),
      );
    });
    return listenOnLoopback(server, queue);
  },
  client(params): Client {
    const suite = suiteOf(params);
    const root = params.pki[params.key].root;
    // Forge keeps the session of each completed handshake and offers it on the next one.
    const sessionCache = params.resume ? forge.tls.createSessionCache({}, 1) : null;
    return {
      connect(port) {
        return new Promise<Side>((resolve, reject) => {
          const socket = net.connect(port, '127.0.0.1');
          socket.once('error', reject);
          socket.once('connect', () => {
            const connection = attach(
              socket,
              {
                server: false,
                caStore: [root],
                sessionCache,
                cipherSuites: [suite],
                virtualHost: SERVER_NAME,
                // forge validates the chain against caStore; it checks no host name at all.
                verify: (_c, verified) => verified,
              },
              resolve,
              reject,
            );
            connection.handshake();
          });
        });
      },
    };
  },
};
