// Decrypts the records of a captured transcript with an NSS key log (SSLKEYLOGFILE).
// TLS 1.3: each direction's traffic secrets become record keys (RFC 8446 §7.3), records are opened
// in order with per-key sequence numbers (§5.3), and the inner content type is recovered (§5.4).
// The suite is not in the key log; it is found by trial among the suites whose hash length is
// the secret's length (the AEAD tag tells a wrong guess). Key changes are found the same way: a
// record the current key cannot open is tried with the next secret (handshake -> application
// traffic secret 0 -> KeyUpdate successors, "traffic upd" of §7.2).
// TLS 1.2: the CLIENT_RANDOM line's master secret and the ServerHello's random and suite give the
// key block (RFC 5246 §6.3); AEAD records per RFC 5288 §3 (GCM) and RFC 7905 §2 (ChaCha20).
// Secrets, keys, the key block and the record protections that open records are the engine's
// (@tls-kit/engine/record). A TLS 1.3 protection moves its sequence number only for a record that
// opened, so trying a key that does not fit leaves it as it was.
import type { CryptoProvider } from '@tls-kit/crypto';
import { fromHex, toHex } from '@tls-kit/crypto/bytes';
import { defaultProvider } from '@tls-kit/crypto/default';
import {
  keyBlock12,
  nextTrafficSecret,
  type RawRecord,
  TLS12_SUITES,
  TLS13_SUITES,
  type Tls12CipherSuite,
  Tls12Protection,
  Tls13Protection,
  trafficKeys,
} from '@tls-kit/engine/record';
import type {
  Direction,
  KeyLogEntry,
  RecordDecryptor,
  RecordDecryptorInfo,
  TLSRecord,
} from '@tls-kit/messages';

type Suite = (typeof TLS13_SUITES)[number];

/** The key log labels of each direction's secrets, in the order the connection uses them. */
const LABELS: Record<Direction, readonly string[]> = {
  client: ['CLIENT_HANDSHAKE_TRAFFIC_SECRET', 'CLIENT_TRAFFIC_SECRET_0'],
  server: ['SERVER_HANDSHAKE_TRAFFIC_SECRET', 'SERVER_TRAFFIC_SECRET_0'],
};

/** How many KeyUpdate steps past the last known secret a record may be tried with. */
const MAX_KEY_UPDATES_AHEAD = 1;

/** What was used to open a record, for displays. */
export interface DecryptedRecord {
  readonly from: Direction;
  /** TLS 1.3: 'handshake', 'application', or 'application, key update N'; TLS 1.2: 'write'. */
  readonly key: string;
  readonly suite: string;
  readonly seq: number;
  /** Inner content type (RFC 8446 §5.4) and content. */
  readonly type: number;
  readonly content: Uint8Array;
}

/** The record as the engine's protections take it: the 5-byte header is TLS 1.3's additional data. */
function rawRecord(record: TLSRecord): RawRecord {
  const { type, version, fragment } = record;
  const header = Uint8Array.of(
    type,
    version >>> 8,
    version & 0xff,
    fragment.length >>> 8,
    fragment.length & 0xff,
  );
  return { type, version, header, fragment };
}

/**
 * One TLS 1.3 direction of one connection. Secret 0 is the handshake traffic secret, 1 the application
 * traffic secret 0, and each later one the KeyUpdate successor of the one before.
 */
class Tls13Direction {
  private epoch = 0;
  private suite: Suite | undefined;
  private readonly protections = new Map<string, Tls13Protection>();

  constructor(
    private readonly secrets: (Uint8Array | undefined)[],
    private readonly provider: CryptoProvider,
  ) {}

  /** Secrets logged since (a live key log): fills the ones still unknown. */
  learn(secrets: readonly (Uint8Array | undefined)[]): void {
    secrets.forEach((secret, i) => {
      this.secrets[i] ??= secret;
    });
  }

  open(record: TLSRecord): Omit<DecryptedRecord, 'from'> | undefined {
    const raw = rawRecord(record);
    // The current key first, then the next ones (a key change happened just before this record):
    // those have opened nothing yet, so they start at sequence number 0.
    for (let step = 0; step <= 1 + MAX_KEY_UPDATES_AHEAD; step++) {
      const epoch = this.epoch + step;
      for (const suite of this.suite ? [this.suite] : this.candidateSuites()) {
        const protection = this.protection(suite, epoch);
        if (!protection) break;
        const seq = protection.records;
        let opened: { type: number; fragment: Uint8Array } | undefined;
        try {
          opened = protection.open(raw);
        } catch {
          // Authentication failed (the key does not fit), or it opened to no content type.
          if (protection.records === seq) continue;
        }
        this.suite = suite;
        this.epoch = epoch;
        if (!opened) return undefined;
        const key =
          epoch === 0 ? 'handshake' : epoch === 1 ? 'application' : `application, key update ${epoch - 1}`;
        return { type: opened.type, content: opened.fragment, key, suite: suite.name, seq };
      }
    }
    return undefined;
  }

  private candidateSuites(): Suite[] {
    const length = this.secrets.find((s) => s !== undefined)?.length;
    return TLS13_SUITES.filter((s) => s.hashLength === length);
  }

  private secret(epoch: number, suite: Suite): Uint8Array | undefined {
    if (epoch <= 1) return this.secrets[epoch];
    let secret = this.secrets[epoch];
    if (!secret) {
      // RFC 8446 §7.2: application_traffic_secret_N+1 = HKDF-Expand-Label(secret_N, "traffic upd", "", Hash.length).
      const previous = this.secret(epoch - 1, suite);
      if (!previous) return undefined;
      secret = nextTrafficSecret(this.provider, suite, previous);
      this.secrets[epoch] = secret;
    }
    return secret;
  }

  private protection(suite: Suite, epoch: number): Tls13Protection | undefined {
    const id = `${suite.name}/${epoch}`;
    let protection = this.protections.get(id);
    if (protection) return protection;
    const secret = this.secret(epoch, suite);
    if (!secret) return undefined;
    const { key, iv } = trafficKeys(this.provider, suite, secret);
    protection = new Tls13Protection(this.provider, suite, key, iv);
    this.protections.set(id, protection);
    return protection;
  }
}

/** One TLS 1.2 direction: the engine's protection with its write key and IV from the key block. */
class Tls12Direction {
  constructor(
    private readonly suite: Tls12CipherSuite,
    private readonly protection: Tls12Protection,
  ) {}

  open(record: TLSRecord): Omit<DecryptedRecord, 'from'> | undefined {
    const seq = this.protection.records;
    try {
      const { type, fragment } = this.protection.open(rawRecord(record));
      return { type, content: fragment, key: 'write', suite: this.suite.name, seq };
    } catch {
      return undefined;
    }
  }
}

/** The TLS 1.2 directions of a connection from its master secret (RFC 5246 §6.3, §8.1). */
function tls12Directions(
  masterSecret: Uint8Array,
  clientRandom: Uint8Array,
  serverRandom: Uint8Array,
  suite: Tls12CipherSuite,
  provider: CryptoProvider,
): Record<Direction, Tls12Direction> {
  const keys = keyBlock12(provider, suite, masterSecret, clientRandom, serverRandom);
  return {
    client: new Tls12Direction(suite, new Tls12Protection(provider, suite, keys.clientKey, keys.clientIv)),
    server: new Tls12Direction(suite, new Tls12Protection(provider, suite, keys.serverKey, keys.serverIv)),
  };
}

/**
 * A RecordDecryptor for the @tls-kit/messages dissector. Connections are told apart by their
 * ClientHello random, as in the key log. Records it cannot open stay shown as encrypted.
 * `observe` hears of every record opened. `entries` may grow between records (a live
 * connection's key log): the new ones are read when a record is tried.
 */
export function keylogDecryptor(
  entries: readonly KeyLogEntry[],
  options: {
    provider?: CryptoProvider;
    observe?: (record: TLSRecord, decrypted: DecryptedRecord) => void;
  } = {},
): RecordDecryptor {
  const provider = options.provider ?? defaultProvider;
  const byRandom = new Map<string, Map<string, string>>();
  let indexed = 0;
  const index = () => {
    for (; indexed < entries.length; indexed++) {
      const e = entries[indexed]!;
      const labels = byRandom.get(e.clientRandom) ?? new Map<string, string>();
      byRandom.set(e.clientRandom, labels);
      labels.set(e.label, e.secret);
    }
  };
  const states = new Map<string, Tls13Direction | Tls12Direction | null>();
  // TLS 1.2 needs the ServerHello's random and suite from the hook's info; without them it stays encrypted.
  const directionFor = (info: RecordDecryptorInfo, random: string) => {
    const labels = byRandom.get(random);
    const master = labels?.get('CLIENT_RANDOM');
    const suite12 = TLS12_SUITES.find((s) => s.id === info.cipherSuite);
    if (master && suite12 && info.serverRandom && info.clientRandom) {
      const both = tls12Directions(fromHex(master), info.clientRandom, info.serverRandom, suite12, provider);
      states.set(`${random}/client`, both.client);
      states.set(`${random}/server`, both.server);
      return both[info.from];
    }
    const secrets = tls13Secrets(info.from, random);
    return secrets.every((s) => s === undefined) ? null : new Tls13Direction(secrets, provider);
  };
  const tls13Secrets = (from: Direction, random: string) =>
    LABELS[from].map((l) => {
      const secret = byRandom.get(random)?.get(l);
      return secret === undefined ? undefined : fromHex(secret);
    });
  return (record, info) => {
    if (!info.clientRandom) return undefined;
    const grew = indexed < entries.length;
    index();
    const random = toHex(info.clientRandom);
    const id = `${random}/${info.from}`;
    let state = states.get(id);
    if (state === undefined || (state === null && grew)) {
      state = directionFor(info, random);
      states.set(id, state);
    } else if (grew && state instanceof Tls13Direction) {
      state.learn(tls13Secrets(info.from, random));
    }
    const opened = state?.open(record);
    if (!opened) return undefined;
    options.observe?.(record, { ...opened, from: info.from });
    return { type: opened.type, content: opened.content };
  };
}
