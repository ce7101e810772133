// tls-kit's record layer in memory (no sockets): a TLS 1.3 client and server Connection joined
// by arrays; the client seals 16 KiB application records (dataFromApplication, its output
// taken as pieces through writeToWireParts, as a driver with gather writes takes it: uncopied,
// joined by the "wire" outside the timers) and the server opens them (dataFromWire). Rates are per CPU second (process.cpuUsage), as `openssl speed -evp`
// reports them, and that is the reference: `openssl speed -evp AEAD -bytes 16384 -mr`.
import { execFile } from 'node:child_process';
import { createCipheriv, createDecipheriv, createSecretKey, randomBytes } from 'node:crypto';
import type { CryptoProvider } from '@tls-kit/crypto';
import type { BenchPki } from './pki.js';
import { cpuSeconds } from './rounds.js';
import type { Aead } from './stack.js';
import { type MemoryPair, memoryPair } from './tls-kit-stack.js';

const RECORD = 16384;
const BATCH = 64;

export interface RecordFigures {
  /** MB/s (10^6 bytes) of plaintext per CPU second. */
  readonly seal: number;
  readonly open: number;
  /** One record sealed and then opened. */
  readonly sealOpen: number;
}

export function recordPair(pki: BenchPki, aead: Aead, provider: CryptoProvider): MemoryPair {
  const pair = memoryPair({ pki, key: 'ecdsa', version: 'TLSv1.3', aead }, provider, true);
  pair.pump();
  if (!pair.client.handshakeComplete || !pair.server.handshakeComplete) {
    throw new Error('the in-memory handshake did not complete');
  }
  return pair;
}

/**
 * A 16 KiB payload at a random offset of a fresh buffer. Where buffers lie relative to each other
 * moves node:crypto's and memmove's speed on some machines (4 KiB aliasing: AES-GCM up to 2x
 * slower for ~11% of offsets, a 16 KiB memmove 20x for 32 of 4,096), so each round draws a new
 * placement for tls-kit and the bare loop alike, and the rounds' median does not rest on one.
 */
function placedPayload(): Uint8Array {
  const offset = randomBytes(2).readUInt16BE(0) % 4096;
  return randomBytes(RECORD + 4096).subarray(offset, offset + RECORD);
}

/** Seals and opens batches of records for about `ms` of CPU time. */
export function recordRound(pair: MemoryPair, ms: number): RecordFigures {
  const payload = placedPayload();
  let sealSeconds = 0;
  let openSeconds = 0;
  let bytes = 0;
  do {
    const t0 = process.cpuUsage();
    for (let i = 0; i < BATCH; i++) pair.client.dataFromApplication(payload);
    sealSeconds += cpuSeconds(t0);
    const records = pair.takeToServer();
    let opened = 0;
    const t1 = process.cpuUsage();
    for (const record of records) opened += pair.server.dataFromWire(record).length;
    openSeconds += cpuSeconds(t1);
    if (opened !== BATCH * RECORD) throw new Error(`opened ${opened} bytes of ${BATCH * RECORD}`);
    bytes += opened;
  } while (sealSeconds + openSeconds < ms / 1000);
  const mb = bytes / 1e6;
  return { seal: mb / sealSeconds, open: mb / openSeconds, sealOpen: mb / (sealSeconds + openSeconds) };
}

/**
 * The floor of any record layer built on node:crypto: the bare AEAD calls for 16 KiB records,
 * one cipher object per record (node has no reusable AEAD context, and each record has its own
 * nonce), without framing, copies or sequence numbers. Same batches and clock as recordRound.
 */
export function bareAeadRound(aead: Aead, ms: number): RecordFigures {
  const key = createSecretKey(randomBytes(aead === 'aes-128-gcm' ? 16 : 32));
  const payload = placedPayload();
  const header = randomBytes(5);
  const nonces = Array.from({ length: BATCH }, () => randomBytes(12));
  const sealed: { body: Buffer; tag: Buffer }[] = [];
  let sealSeconds = 0;
  let openSeconds = 0;
  let bytes = 0;
  do {
    const t0 = process.cpuUsage();
    for (const nonce of nonces) {
      const cipher = createCipheriv(aead as 'aes-128-gcm', key, nonce, { authTagLength: 16 });
      cipher.setAAD(header);
      const body = cipher.update(payload);
      cipher.final();
      sealed.push({ body, tag: cipher.getAuthTag() });
    }
    sealSeconds += cpuSeconds(t0);
    let opened = 0;
    const t1 = process.cpuUsage();
    for (const [i, { body, tag }] of sealed.entries()) {
      const decipher = createDecipheriv(aead as 'aes-128-gcm', key, nonces[i]!, { authTagLength: 16 });
      decipher.setAuthTag(tag);
      decipher.setAAD(header);
      opened += decipher.update(body).length;
      decipher.final();
    }
    openSeconds += cpuSeconds(t1);
    sealed.length = 0;
    bytes += opened;
  } while (sealSeconds + openSeconds < ms / 1000);
  const mb = bytes / 1e6;
  return { seal: mb / sealSeconds, open: mb / openSeconds, sealOpen: mb / (sealSeconds + openSeconds) };
}

/** `openssl speed -evp` for one AEAD at 16 KiB, in MB/s; undefined when there is no openssl CLI. */
export function opensslSpeed(aead: Aead, seconds: number): Promise<number | undefined> {
  const args = ['speed', '-evp', aead, '-bytes', String(RECORD), '-seconds', String(seconds), '-mr'];
  return new Promise((resolve, reject) => {
    execFile('openssl', args, { timeout: (seconds + 30) * 1000 }, (error, stdout) => {
      if (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') resolve(undefined);
        else reject(new Error(`openssl speed: ${error.message}`));
        return;
      }
      // Machine-readable result: "+F:<n>:<NAME>:<bytes per second>".
      const match = /^\+F:\d+:[^:]+:([\d.]+)\s*$/m.exec(stdout);
      if (!match) reject(new Error(`openssl speed: no +F line in ${JSON.stringify(stdout.slice(0, 200))}`));
      else resolve(Number(match[1]) / 1e6);
    });
  });
}
