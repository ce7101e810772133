// Property tests: random well-formed messages build and parse back to themselves, byte for byte.
import { fc, testProp } from '@fast-check/ava';
import {
  ClientHello,
  type ClientHelloExtension,
  type ClientHelloMessage,
  HandshakeType as H,
  Handshake,
  ServerHello,
  type ServerHelloMessage,
  ExtensionType as T,
} from '@tls-kit/messages';

const u16 = fc.integer({ min: 0, max: 0xffff });
const u8 = fc.integer({ min: 0, max: 0xff });
const bytesOf = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max });
const ascii = (min: number, max: number) =>
  fc.string({
    minLength: min,
    maxLength: max,
    unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
  });

/** One arbitrary per decoded ClientHello extension, plus raw (unknown/GREASE) ones. */
const extension: fc.Arbitrary<ClientHelloExtension> = fc.oneof(
  ascii(1, 40).map((hostName) => ({
    extensionType: T.server_name as const,
    extensionData: { serverNameList: [{ nameType: 0, hostName }] },
  })),
  fc.array(u16, { minLength: 1, maxLength: 20 }).map((namedGroupList) => ({
    extensionType: T.supported_groups as const,
    extensionData: { namedGroupList },
  })),
  fc.array(u16, { minLength: 1, maxLength: 20 }).map((s) => ({
    extensionType: T.signature_algorithms as const,
    extensionData: { supportedSignatureAlgorithms: s },
  })),
  fc.array(ascii(1, 12), { minLength: 1, maxLength: 4 }).map((protocolNameList) => ({
    extensionType: T.application_layer_protocol_negotiation as const,
    extensionData: { protocolNameList },
  })),
  fc
    .array(u16, { minLength: 1, maxLength: 10 })
    .map((versions) => ({ extensionType: T.supported_versions as const, extensionData: { versions } })),
  fc.array(fc.record({ group: u16, keyExchange: bytesOf(1, 100) }), { maxLength: 3 }).map((clientShares) => ({
    extensionType: T.key_share as const,
    extensionData: { clientShares },
  })),
  bytesOf(1, 80).map((cookie) => ({ extensionType: T.cookie as const, extensionData: { cookie } })),
  bytesOf(0, 60).map((ticket) => ({ extensionType: T.session_ticket as const, extensionData: { ticket } })),
  fc.constant({ extensionType: T.extended_master_secret as const, extensionData: {} }),
  fc.integer({ min: 64, max: 0xffff }).map((recordSizeLimit) => ({
    extensionType: T.record_size_limit as const,
    extensionData: { recordSizeLimit },
  })),
  fc
    .record({
      identities: fc.array(fc.record({ identity: bytesOf(1, 40), obfuscatedTicketAge: fc.nat() }), {
        minLength: 1,
        maxLength: 3,
      }),
      binders: fc.array(bytesOf(32, 48), { minLength: 1, maxLength: 3 }),
    })
    .map((extensionData) => ({ extensionType: T.pre_shared_key as const, extensionData })),
  fc
    .record({
      extensionType: fc.integer({ min: 0x0a0a, max: 0xfafa }).map((x) => (x & 0xf0f0) | 0x0a0a),
      extensionData: bytesOf(0, 30),
    })
    .map((e) => ({ ...e, unknown: true as const })),
);

const extensions = fc.uniqueArray(extension, { selector: (e) => e.extensionType, maxLength: 12 });

const clientHello: fc.Arbitrary<ClientHelloMessage> = fc.record(
  {
    legacyVersion: u16,
    random: bytesOf(32, 32),
    legacySessionId: bytesOf(0, 32),
    cipherSuites: fc.array(u16, { minLength: 1, maxLength: 40 }),
    legacyCompressionMethods: fc.array(u8, { minLength: 1, maxLength: 3 }),
    extensions,
  },
  {
    requiredKeys: ['legacyVersion', 'random', 'legacySessionId', 'cipherSuites', 'legacyCompressionMethods'],
  },
);

testProp(
  'random ClientHellos: build -> parse -> equal, and the bytes rebuild identically',
  [clientHello],
  (t, hello) => {
    const built = ClientHello.build(hello);
    const parsed = ClientHello.parse(built);
    t.deepEqual(parsed, { extensions: undefined, ...hello });
    t.deepEqual(ClientHello.build(parsed), built);
    const message = Handshake().build({ msgType: H.client_hello, body: hello });
    t.deepEqual(Handshake().parse(message).body, parsed);
  },
);

const serverHello: fc.Arbitrary<ServerHelloMessage> = fc
  .record({
    legacyVersion: u16,
    random: bytesOf(32, 32),
    legacySessionIdEcho: bytesOf(0, 32),
    cipherSuite: u16,
    legacyCompressionMethod: u8,
    group: u16,
    keyExchange: bytesOf(1, 97),
    selectedVersion: u16,
  })
  .map(({ group, keyExchange, selectedVersion, ...head }) => ({
    ...head,
    isHelloRetryRequest: false,
    extensions: [
      { extensionType: T.supported_versions as const, extensionData: { selectedVersion } },
      { extensionType: T.key_share as const, extensionData: { serverShare: { group, keyExchange } } },
    ],
  }));

testProp('random ServerHellos: build -> parse -> equal', [serverHello], (t, hello) => {
  t.deepEqual(ServerHello.parse(ServerHello.build(hello)), hello);
});
