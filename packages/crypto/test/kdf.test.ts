import { CryptoError, deriveSecret, hkdfExpandLabel, tls12Prf } from '@tls-kit/crypto';
import { opensslPrf } from '@tls-kit/test-helpers';
import test from 'ava';
import fc from 'fast-check';
import { between, hex, providers, rfcText, unhex, utf8 } from './helpers.js';

// RFC 5869 Appendix A: every test case, parsed from the RFC text.
const rfc5869 = rfcText('rfc5869.txt');
const hkdfCases = [
  ...rfc5869.matchAll(/A\.(\d)\. {2}Test Case \d+\n([\s\S]*?)(?=\nA\.\d\. |\nAuthors' Addresses)/g),
].map(([, number, body]) => {
  const field = (name: string) => {
    const match = new RegExp(`\\n\\s+${name}\\s*=\\s*((?:0x)?[0-9a-f]*(?:\\s+[0-9a-f]+)*)`).exec(
      body as string,
    );
    if (!match) throw new Error(`A.${number}: ${name} missing`);
    return (match[1] as string).replace(/^0x/, '').replace(/\s+/g, '');
  };
  return {
    name: `A.${number}`,
    hash: /Hash = SHA-256/.test(body as string) ? ('sha256' as const) : ('sha1' as const),
    ikm: unhex(field('IKM')),
    salt: unhex(field('salt')),
    info: unhex(field('info')),
    length: Number(field('L')),
    prk: field('PRK'),
    okm: field('OKM'),
  };
});

test('RFC 5869 appendix A has 7 parsed cases', (t) => {
  t.is(hkdfCases.length, 7);
  t.true(hkdfCases.some((c) => c.salt.length === 0));
});

for (const provider of providers) {
  test(`${provider.name}: HKDF RFC 5869 appendix A`, (t) => {
    for (const c of hkdfCases) {
      // Cases A.7 omit the salt: HKDF then uses HashLen zeros, which an empty HMAC key equals.
      const prk = provider.hkdfExtract(c.hash, c.salt, c.ikm);
      t.is(hex(prk), c.prk, `${c.name} PRK`);
      t.is(hex(provider.hkdfExpand(c.hash, prk, c.info, c.length)), c.okm, `${c.name} OKM`);
    }
  });

  test(`${provider.name}: HKDF-Expand rejects lengths above 255 * HashLen`, (t) => {
    t.throws(() => provider.hkdfExpand('sha256', new Uint8Array(32), new Uint8Array(0), 255 * 32 + 1), {
      instanceOf: CryptoError,
    });
    t.is(provider.hkdfExpand('sha256', new Uint8Array(32), new Uint8Array(0), 255 * 32).length, 255 * 32);
  });
}

// RFC 8448 §3 (Simple 1-RTT Handshake): every block of the trace that states PRK / hash / info /
// expanded values, extract inputs, or traffic keys is recomputed.
interface TraceBlock {
  readonly title: string;
  readonly fields: Map<string, Uint8Array>;
}

function parseTrace(text: string): TraceBlock[] {
  const blocks: TraceBlock[] = [];
  let current: TraceBlock | undefined;
  let field: string | undefined;
  let hexText = '';
  const flush = () => {
    if (current && field) current.fields.set(field, unhex(hexText));
    field = undefined;
    hexText = '';
  };
  for (const line of text.split('\n')) {
    const header = /^ {3}\{(?:client|server)\} {2}(.*)$/.exec(line);
    const fieldLine = /^ {6}([A-Za-z][\w ]*?)(?: \(\d+ octets\))?: {1,2}(.*)$/.exec(line);
    if (header) {
      flush();
      current = { title: header[1] as string, fields: new Map() };
      blocks.push(current);
    } else if (fieldLine && current) {
      flush();
      field = fieldLine[1] as string;
      const value = (fieldLine[2] as string).trim();
      hexText = /^[0-9a-f]{2}( [0-9a-f]{2})*$/.test(value) ? value : '';
    } else if (field && /^ {9}[0-9a-f]{2}( [0-9a-f]{2})*\s*$/.test(line)) {
      hexText += line;
    } else if (line.trim() !== '') {
      flush();
    }
  }
  flush();
  return blocks;
}

const trace = parseTrace(
  between(rfcText('rfc8448.txt'), '3.  Simple 1-RTT Handshake', '4.  Resumed 0-RTT Handshake'),
);
const field = (block: TraceBlock, name: string): Uint8Array => {
  const value = block.fields.get(name);
  if (!value) throw new Error(`${block.title}: no ${name}`);
  return value;
};
const blocksWith = (prefix: string) => trace.filter((b) => b.title.startsWith(prefix) && b.fields.size > 0);

test('RFC 8448 §3 trace parses into the expected blocks', (t) => {
  t.is(blocksWith('extract secret').length, 3); // early, handshake, master
  t.true(blocksWith('derive secret').length >= 8);
  t.is(blocksWith('derive write traffic keys').length, 3);
  t.is(blocksWith('derive read traffic keys').length, 1);
});

for (const provider of providers) {
  test(`${provider.name}: RFC 8448 §3 extract steps (early, handshake, master secrets)`, (t) => {
    for (const block of blocksWith('extract secret')) {
      // "salt: 0 (all zero octets)" has no hex: the zero salt equals the empty HMAC key.
      const salt = block.fields.get('salt') ?? new Uint8Array(0);
      t.is(
        hex(provider.hkdfExtract('sha256', salt, field(block, 'IKM'))),
        hex(field(block, 'secret')),
        block.title,
      );
    }
  });

  test(`${provider.name}: RFC 8448 §3 Derive-Secret steps`, (t) => {
    for (const block of blocksWith('derive secret')) {
      const label = /"tls13 ([^"]+)"/.exec(block.title)?.[1] as string;
      const expanded = deriveSecret(provider, 'sha256', field(block, 'PRK'), label, field(block, 'hash'));
      t.is(hex(expanded), hex(field(block, 'expanded')), block.title);
    }
  });

  test(`${provider.name}: RFC 8448 §3 traffic keys and IVs, finished keys, resumption`, (t) => {
    for (const block of [
      ...blocksWith('derive write traffic keys'),
      ...blocksWith('derive read traffic keys'),
    ]) {
      const prk = field(block, 'PRK');
      const key = field(block, 'key expanded');
      const iv = field(block, 'iv expanded');
      t.is(
        hex(hkdfExpandLabel(provider, 'sha256', prk, 'key', new Uint8Array(0), key.length)),
        hex(key),
        block.title,
      );
      t.is(
        hex(hkdfExpandLabel(provider, 'sha256', prk, 'iv', new Uint8Array(0), iv.length)),
        hex(iv),
        block.title,
      );
    }
    const finished = blocksWith('calculate finished');
    t.true(finished.length >= 2);
    for (const block of finished) {
      const key = hkdfExpandLabel(provider, 'sha256', field(block, 'PRK'), 'finished', new Uint8Array(0), 32);
      t.is(hex(key), hex(field(block, 'expanded')), block.title);
    }
    const resumption = blocksWith('generate resumption secret');
    t.is(resumption.length, 1);
    for (const block of resumption) {
      t.is(
        hex(provider.hkdfExpand('sha256', field(block, 'PRK'), field(block, 'info'), 32)),
        hex(field(block, 'expanded')),
      );
    }
  });

  test(`${provider.name}: RFC 8448 §3 ECDHE input and transcript hash of the key schedule`, (t) => {
    const clientKeys = trace.find((b) => b.title.startsWith('create an ephemeral x25519'))!;
    const serverKeys = trace.filter((b) => b.title.startsWith('create an ephemeral x25519'))[1]!;
    const client = provider.startKeyExchange('x25519', field(clientKeys, 'private key'));
    t.is(hex(client.publicKey), hex(field(clientKeys, 'public key')));
    const shared = client.complete(field(serverKeys, 'public key'));
    const handshakeExtract = blocksWith('extract secret')[1]!;
    t.is(hex(shared), hex(field(handshakeExtract, 'IKM')));
    // The c hs traffic hash is Transcript-Hash(ClientHello, ServerHello).
    const clientHello = field(trace.find((b) => b.fields.has('ClientHello'))!, 'ClientHello');
    const serverHello = field(trace.find((b) => b.fields.has('ServerHello'))!, 'ServerHello');
    const transcript = provider.createHash('sha256').update(clientHello);
    const fork = transcript.clone().digest(); // an intermediate read must not disturb the running hash
    t.is(hex(fork), hex(provider.hash('sha256', clientHello)));
    const chs = blocksWith('derive secret "tls13 c hs traffic"')[0]!;
    t.is(hex(transcript.update(serverHello).digest()), hex(field(chs, 'hash')));
    // The whole chain from the inputs alone.
    const early = provider.hkdfExtract('sha256', new Uint8Array(0), new Uint8Array(32));
    const emptyHash = provider.hash('sha256', new Uint8Array(0));
    const handshake = provider.hkdfExtract(
      'sha256',
      deriveSecret(provider, 'sha256', early, 'derived', emptyHash),
      shared,
    );
    t.is(hex(handshake), hex(field(handshakeExtract, 'secret')));
    const master = provider.hkdfExtract(
      'sha256',
      deriveSecret(provider, 'sha256', handshake, 'derived', emptyHash),
      new Uint8Array(32),
    );
    t.is(hex(master), hex(field(blocksWith('extract secret')[2]!, 'secret')));
  });

  test(`${provider.name}: RFC 8448 §3 records decrypt and re-encrypt with AES-128-GCM`, (t) => {
    // The server's encrypted handshake flight (handshake keys, seq 0) and the client's application
    // data record (application keys, seq 0). Inner plaintext = payload || content type (RFC 8446 §5.2).
    const sends = trace.filter((b) => b.fields.has('complete record'));
    const cases = [
      {
        record: sends.find(
          (b) => b.title === 'send handshake record:' && field(b, 'complete record')[0] === 0x17,
        )!,
        keys: blocksWith('derive write traffic keys for handshake data')[0]!,
        type: 0x16,
      },
      {
        record: sends.find((b) => b.title === 'send application_data record:')!,
        keys: blocksWith('derive write traffic keys for application data')[1]!,
        type: 0x17,
      },
    ];
    for (const { record, keys, type } of cases) {
      const complete = field(record, 'complete record');
      const aead = provider.importAeadKey('aes-128-gcm', field(keys, 'key expanded'));
      const nonce = field(keys, 'iv expanded'); // sequence number 0: iv XOR 0
      const header = complete.subarray(0, 5);
      const inner = aead.open(nonce, complete.subarray(5), header);
      t.is(hex(inner), hex(Uint8Array.of(...field(record, 'payload'), type)));
      t.is(hex(aead.seal(nonce, inner, header)), hex(complete.subarray(5)));
    }
  });
}

test('TLS 1.2 PRF matches openssl kdf TLS1-PRF (both providers)', (t) => {
  const samples = [
    {
      hash: 'sha256',
      secret: utf8('secret'),
      label: 'master secret',
      seed: unhex('00112233445566778899'),
      length: 48,
    },
    {
      hash: 'sha256',
      secret: unhex('0b'.repeat(48)),
      label: 'key expansion',
      seed: unhex('ab'.repeat(64)),
      length: 104,
    },
    {
      hash: 'sha384',
      secret: unhex('42'.repeat(48)),
      label: 'client finished',
      seed: unhex('cd'.repeat(48)),
      length: 12,
    },
    {
      hash: 'sha384',
      secret: new Uint8Array(0),
      label: 'extended master secret',
      seed: unhex('01'.repeat(48)),
      length: 48,
    },
  ] as const;
  for (const s of samples) {
    const expected = opensslPrf(s.hash.toUpperCase(), s.secret, s.label, s.seed, s.length);
    for (const provider of providers) {
      t.is(
        hex(tls12Prf(provider, s.hash, s.secret, s.label, s.seed, s.length)),
        expected,
        `${provider.name} ${s.hash} ${s.label}`,
      );
    }
  }
});

test('providers agree on HMAC, HKDF and the TLS 1.2 PRF for random inputs', (t) => {
  const [a, b] = providers as [(typeof providers)[0], (typeof providers)[0]];
  fc.assert(
    fc.property(
      fc.constantFrom('sha1', 'sha256', 'sha384', 'sha512'),
      fc.uint8Array({ maxLength: 200 }),
      fc.uint8Array({ maxLength: 300 }),
      fc.integer({ min: 0, max: 200 }),
      (hash, key, data, length) => {
        t.is(hex(a.hmac(hash, key, data)), hex(b.hmac(hash, key, data)));
        const prk = a.hkdfExtract(hash, key, data);
        t.is(hex(prk), hex(b.hkdfExtract(hash, key, data)));
        t.is(hex(a.hkdfExpand(hash, prk, data, length)), hex(b.hkdfExpand(hash, prk, data, length)));
        t.is(hex(tls12Prf(a, hash, key, 'x', data, length)), hex(tls12Prf(b, hash, key, 'x', data, length)));
      },
    ),
    { numRuns: 60 },
  );
});

test('HKDF-Expand-Label checks its input bounds', (t) => {
  const [provider] = providers as [(typeof providers)[0]];
  t.throws(
    () => hkdfExpandLabel(provider, 'sha256', new Uint8Array(32), 'x'.repeat(250), new Uint8Array(0), 32),
    { instanceOf: CryptoError },
  );
  t.throws(() => hkdfExpandLabel(provider, 'sha256', new Uint8Array(32), 'key', new Uint8Array(256), 32), {
    instanceOf: CryptoError,
  });
});
