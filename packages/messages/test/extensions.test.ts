import { fc, testProp } from '@fast-check/ava';
import {
  CertificateEntryExtensionList,
  CertificateRequestExtensionList,
  CertificateStatusType,
  ClientHello,
  type ClientHelloExtension,
  ClientHelloExtensionList,
  DuplicateExtensionEncodeError,
  DuplicateExtensionError,
  ECPointFormat,
  EncryptedExtensionList,
  ExtensionListCodec,
  findExtension,
  HelloRetryRequestExtensionList,
  MaxFragmentLength,
  NamedGroup,
  NameType,
  NewSessionTicketExtensionList,
  ProtocolVersion,
  PskKeyExchangeMode,
  ServerHelloExtensionList,
  SignatureScheme,
  ExtensionType as T,
} from '@tls-kit/messages';
import { DecodeError, EncodeError } from '@tls-kit/wire';
import test from 'ava';
import { bytes, concat, hex, roundTrip, truncationsAreIncomplete } from './helpers/bytes.js';

const sigAlgs = [
  SignatureScheme.ecdsa_secp256r1_sha256,
  SignatureScheme.rsa_pss_rsae_sha256,
  SignatureScheme.ed25519,
];

const clientHelloExtensions: ClientHelloExtension[] = [
  {
    extensionType: T.server_name,
    extensionData: { serverNameList: [{ nameType: NameType.host_name, hostName: 'example.com' }] },
  },
  { extensionType: T.max_fragment_length, extensionData: { maxFragmentLength: MaxFragmentLength['2^12'] } },
  {
    extensionType: T.status_request,
    extensionData: {
      statusType: CertificateStatusType.ocsp,
      responderIdList: [bytes(3)],
      requestExtensions: bytes(0),
    },
  },
  {
    extensionType: T.supported_groups,
    extensionData: { namedGroupList: [NamedGroup.x25519, NamedGroup.secp256r1, 0x2a2a] },
  },
  { extensionType: T.ec_point_formats, extensionData: { ecPointFormatList: [ECPointFormat.uncompressed] } },
  { extensionType: T.signature_algorithms, extensionData: { supportedSignatureAlgorithms: sigAlgs } },
  {
    extensionType: T.application_layer_protocol_negotiation,
    extensionData: { protocolNameList: ['h2', 'http/1.1'] },
  },
  { extensionType: T.signed_certificate_timestamp, extensionData: {} },
  { extensionType: T.encrypt_then_mac, extensionData: {} },
  { extensionType: T.extended_master_secret, extensionData: {} },
  { extensionType: T.record_size_limit, extensionData: { recordSizeLimit: 16385 } },
  { extensionType: T.session_ticket, extensionData: { ticket: bytes(40) } },
  { extensionType: T.early_data, extensionData: {} },
  {
    extensionType: T.supported_versions,
    extensionData: { versions: [0x7a7a, ProtocolVersion.TLS1_3, ProtocolVersion.TLS1_2] },
  },
  { extensionType: T.cookie, extensionData: { cookie: bytes(20) } },
  { extensionType: T.psk_key_exchange_modes, extensionData: { keModes: [PskKeyExchangeMode.psk_dhe_ke] } },
  { extensionType: T.certificate_authorities, extensionData: { authorities: [bytes(10), bytes(1)] } },
  { extensionType: T.post_handshake_auth, extensionData: {} },
  { extensionType: T.signature_algorithms_cert, extensionData: { supportedSignatureAlgorithms: sigAlgs } },
  {
    extensionType: T.key_share,
    extensionData: {
      clientShares: [
        { group: NamedGroup.x25519, keyExchange: bytes(32, 1) },
        { group: NamedGroup.secp256r1, keyExchange: bytes(65, 4) },
      ],
    },
  },
  { extensionType: T.renegotiation_info, extensionData: { renegotiatedConnection: bytes(0) } },
  { extensionType: 0xdada, extensionData: bytes(1, 0), unknown: true },
  { extensionType: T.padding, extensionData: bytes(17, 0), unknown: true },
  {
    extensionType: T.pre_shared_key,
    extensionData: {
      identities: [{ identity: bytes(48), obfuscatedTicketAge: 0x12345678 }],
      binders: [bytes(32, 7)],
    },
  },
];

test('every ClientHello extension: build -> parse -> equal, and bytes rebuild identically', (t) => {
  const built = roundTrip(t, ClientHelloExtensionList, clientHelloExtensions);
  truncationsAreIncomplete(t, ClientHelloExtensionList, built);
});

test('ClientHello extension encodings match the RFC layouts', (t) => {
  const one = (e: ClientHelloExtension) => ClientHelloExtensionList.build([e]).subarray(2);
  t.deepEqual(one(clientHelloExtensions[0]!), hex('0000 0010 000e 00 000b 6578616d706c652e636f6d'));
  t.deepEqual(one(clientHelloExtensions[13]!), hex('002b 0007 06 7a7a 0304 0303'));
  t.deepEqual(one(clientHelloExtensions[9]!), hex('0017 0000'));
  t.deepEqual(one(clientHelloExtensions[6]!), hex('0010 000e 000c 02 6832 08 687474702f312e31'));
});

test('ServerHello, HelloRetryRequest and EncryptedExtensions forms', (t) => {
  roundTrip(t, ServerHelloExtensionList, [
    { extensionType: T.supported_versions, extensionData: { selectedVersion: ProtocolVersion.TLS1_3 } },
    {
      extensionType: T.key_share,
      extensionData: { serverShare: { group: NamedGroup.x25519, keyExchange: bytes(32) } },
    },
    { extensionType: T.pre_shared_key, extensionData: { selectedIdentity: 0 } },
    { extensionType: T.server_name, extensionData: {} },
    { extensionType: T.ec_point_formats, extensionData: { ecPointFormatList: [0, 1, 2] } },
    { extensionType: T.renegotiation_info, extensionData: { renegotiatedConnection: bytes(24) } },
    { extensionType: T.extended_master_secret, extensionData: {} },
    { extensionType: T.session_ticket, extensionData: {} },
    { extensionType: T.status_request, extensionData: {} },
    { extensionType: T.signed_certificate_timestamp, extensionData: { sctList: [bytes(50)] } },
    { extensionType: T.application_layer_protocol_negotiation, extensionData: { protocolNameList: ['h2'] } },
  ]);
  t.deepEqual(
    ServerHelloExtensionList.build([
      { extensionType: T.supported_versions, extensionData: { selectedVersion: ProtocolVersion.TLS1_3 } },
    ]),
    hex('0006 002b 0002 0304'),
  );
  roundTrip(
    t,
    HelloRetryRequestExtensionList,
    [
      { extensionType: T.supported_versions, extensionData: { selectedVersion: ProtocolVersion.TLS1_3 } },
      { extensionType: T.key_share, extensionData: { selectedGroup: NamedGroup.secp384r1 } },
      { extensionType: T.cookie, extensionData: { cookie: bytes(64) } },
    ],
    hex(`0052 002b00020304 003300020018 002c0042 0040${'ab'.repeat(64)}`),
  );
  roundTrip(t, EncryptedExtensionList, [
    { extensionType: T.server_name, extensionData: {} },
    { extensionType: T.supported_groups, extensionData: { namedGroupList: [NamedGroup.x25519] } },
    { extensionType: T.application_layer_protocol_negotiation, extensionData: { protocolNameList: ['h2'] } },
    { extensionType: T.record_size_limit, extensionData: { recordSizeLimit: 4096 } },
    { extensionType: T.max_fragment_length, extensionData: { maxFragmentLength: MaxFragmentLength['2^9'] } },
    { extensionType: T.early_data, extensionData: {} },
  ]);
});

test('CertificateEntry, CertificateRequest and NewSessionTicket forms', (t) => {
  roundTrip(t, CertificateEntryExtensionList, [
    {
      extensionType: T.status_request,
      extensionData: { statusType: CertificateStatusType.ocsp, ocspResponse: bytes(100) },
    },
    { extensionType: T.signed_certificate_timestamp, extensionData: { sctList: [bytes(10), bytes(12)] } },
  ]);
  roundTrip(t, CertificateRequestExtensionList, [
    { extensionType: T.signature_algorithms, extensionData: { supportedSignatureAlgorithms: sigAlgs } },
    { extensionType: T.signature_algorithms_cert, extensionData: { supportedSignatureAlgorithms: sigAlgs } },
    { extensionType: T.certificate_authorities, extensionData: { authorities: [bytes(30)] } },
    { extensionType: T.oid_filters, extensionData: bytes(4, 0), unknown: true },
  ]);
  roundTrip(t, NewSessionTicketExtensionList, [
    { extensionType: T.early_data, extensionData: { maxEarlyDataSize: 16384 } },
  ]);
});

test('an extension the message does not carry is kept raw and rebuilt exactly', (t) => {
  // key_share in EncryptedExtensions is not allowed (RFC 8446 §4.2): the engine rejects it.
  const encoded = hex('0008 0033 0004 001d 0000');
  const parsed = EncryptedExtensionList.parse(encoded);
  t.deepEqual(parsed, [{ extensionType: T.key_share, extensionData: hex('001d0000'), unknown: true }]);
  t.deepEqual(EncryptedExtensionList.build(parsed), encoded);
  t.is(findExtension(parsed, T.key_share), undefined);
});

test('findExtension returns the decoded extension of a type', (t) => {
  const list = ClientHelloExtensionList.parse(ClientHelloExtensionList.build(clientHelloExtensions));
  const sni = findExtension(list, T.server_name);
  t.is(sni?.extensionData.serverNameList[0]?.hostName, 'example.com');
  t.deepEqual(findExtension(list, T.supported_versions)?.extensionData.versions, [0x7a7a, 0x0304, 0x0303]);
  t.is(findExtension(list, T.heartbeat), undefined);
  t.is(findExtension(undefined, T.heartbeat), undefined);
});

test('duplicate extension types are a DuplicateExtensionError (RFC 8446 §4.2), and refused when building', (t) => {
  const dup = hex('000c 0017 0000 0016 0000 0017 0000');
  const error = t.throws(() => ClientHelloExtensionList.parse(dup), { instanceOf: DuplicateExtensionError });
  t.true(error instanceof DecodeError);
  t.is(error?.name, 'DuplicateExtensionError');
  t.is(error?.extensionType, T.extended_master_secret);
  t.is(error?.path, '[2].extensionType');
  t.is(error?.offset, 10);
  t.is(error?.message, '[2].extensionType: duplicate extension type 23');
  // Inside a message: the path and offset are the message's.
  const head = concat(hex('0303'), bytes(32), hex('00 0002 1301 01 00'));
  const nested = t.throws(() => ClientHello.parse(concat(head, dup)), {
    instanceOf: DuplicateExtensionError,
  });
  t.is(nested?.path, 'ClientHello.extensions[2].extensionType');
  t.is(nested?.offset, head.length + 10);
  // GREASE duplicates too: the rule is about types, known or not.
  const grease = t.throws(() => ClientHelloExtensionList.parse(hex('0008 0a0a 0000 0a0a 0000')), {
    instanceOf: DuplicateExtensionError,
  });
  t.is(grease?.extensionType, 0x0a0a);
  // Other malformed lists stay plain DecodeErrors.
  for (const bad of ['0004 0017 0001', '0006 000a 0002 0000', '0005 0017 0000 00']) {
    const other = t.throws(() => ClientHelloExtensionList.parse(hex(bad)), { instanceOf: DecodeError }, bad);
    t.false(other instanceof DuplicateExtensionError, bad);
  }
  const built = t.throws(
    () =>
      ClientHelloExtensionList.build([
        { extensionType: T.encrypt_then_mac, extensionData: {} },
        { extensionType: T.server_name, extensionData: { serverNameList: [{ nameType: 0, hostName: 'a' }] } },
        { extensionType: T.encrypt_then_mac, extensionData: {} },
      ]),
    { instanceOf: DuplicateExtensionEncodeError },
  );
  t.true(built instanceof EncodeError);
  t.is(built?.extensionType, T.encrypt_then_mac);
  t.is(built?.path, '[2].extensionType');
  // A raw extension repeating a decoded one's type is the same fault.
  t.throws(
    () =>
      EncryptedExtensionList.build([
        { extensionType: T.server_name, extensionData: {} },
        { extensionType: T.server_name, extensionData: new Uint8Array(0), unknown: true },
      ]),
    { instanceOf: DuplicateExtensionEncodeError },
  );
});

testProp(
  'an extension block parses unless a type repeats, and then the first repeat is the DuplicateExtensionError',
  [fc.array(fc.record({ type: fc.integer({ min: 0, max: 12 }), data: fc.uint8Array({ maxLength: 6 }) }))],
  (t, list) => {
    const codec = new ExtensionListCodec({});
    const body = concat(...list.map(({ type, data }) => concat([0, type, 0, data.length], data)));
    const encoded = concat([body.length >> 8, body.length & 0xff], body);
    const firstRepeat = list.findIndex((e, i) => list.findIndex((f) => f.type === e.type) < i);
    if (firstRepeat < 0) {
      t.deepEqual(
        codec.parse(encoded),
        list.map(({ type, data }) => ({ extensionType: type, extensionData: data, unknown: true })),
      );
      return;
    }
    const error = t.throws(() => codec.parse(encoded), { instanceOf: DuplicateExtensionError });
    t.is(error?.extensionType, list[firstRepeat]!.type);
    t.is(error?.path, `[${firstRepeat}].extensionType`);
    t.is(error?.offset, 2 + list.slice(0, firstRepeat).reduce((n, e) => n + 4 + e.data.length, 0));
    const raw = list.map(({ type, data }) => ({
      extensionType: type,
      extensionData: data,
      unknown: true as const,
    }));
    const built = t.throws(() => codec.build(raw), { instanceOf: DuplicateExtensionEncodeError });
    t.is(built?.path, `[${firstRepeat}].extensionType`);
  },
);

test('empty vectors that must be non-empty are DecodeErrors with a field path', (t) => {
  const cases: [string, string][] = [
    ['0006 0000 0002 0000', '[0].extensionData.serverNameList'],
    ['0006 000a 0002 0000', '[0].extensionData.namedGroupList'],
    ['0005 000b 0001 00', '[0].extensionData.ecPointFormatList'],
    ['0006 000d 0002 0000', '[0].extensionData.supportedSignatureAlgorithms'],
    ['0006 0010 0002 0000', '[0].extensionData.protocolNameList'],
    ['0008 0010 0004 0002 0000', '[0].extensionData.protocolNameList[0]'],
    ['0005 002b 0001 00', '[0].extensionData.versions'],
    ['0006 002c 0002 0000', '[0].extensionData.cookie'],
    ['0005 002d 0001 00', '[0].extensionData.keModes'],
    ['0006 002f 0002 0000', '[0].extensionData.authorities'],
  ];
  for (const [encoded, path] of cases) {
    const error = t.throws(
      () => ClientHelloExtensionList.parse(hex(encoded)),
      { instanceOf: DecodeError },
      encoded,
    );
    t.is(error?.path, path, encoded);
  }
});

test('an empty key_exchange parses: the key exchange refuses it (illegal_parameter, RFC 8446 §4.2.8.2)', (t) => {
  const [ext] = ClientHelloExtensionList.parse(hex('000a 0033 0006 0004 001d 0000'));
  t.deepEqual(ext?.extensionData, { clientShares: [{ group: 0x1d, keyExchange: new Uint8Array(0) }] });
});

test('bad lengths: inner lengths disagreeing with the extension length are DecodeErrors', (t) => {
  // server_name list length says 0x10 but the extension holds 0x0e bytes.
  t.throws(() => ClientHelloExtensionList.parse(hex('0012 0000 000e 0010 00 000b 6578616d706c652e636f6d')), {
    instanceOf: DecodeError,
  });
  // extension_data length runs past the extension block.
  t.throws(() => ClientHelloExtensionList.parse(hex('0004 0017 0001')), { instanceOf: DecodeError });
  // an empty-bodied extension with a body.
  const error = t.throws(() => ClientHelloExtensionList.parse(hex('0005 0017 0001 00')), {
    instanceOf: DecodeError,
  });
  t.is(error?.path, '[0].extensionData');
  // odd-length group list: an element would run past the vector.
  t.throws(() => ClientHelloExtensionList.parse(hex('0007 000a 0003 0001 00')), { instanceOf: DecodeError });
  // a server_name of an unknown name_type cannot be skipped (RFC 6066 §3).
  t.throws(() => ClientHelloExtensionList.parse(hex('0009 0000 0005 0003 01 0000')), {
    instanceOf: DecodeError,
  });
});

test('building validates bodies: wrong types and over-long values are EncodeErrors with paths', (t) => {
  const error = t.throws(
    () =>
      ClientHelloExtensionList.build([
        { extensionType: T.supported_groups, extensionData: { namedGroupList: [0x10000] } },
      ]),
    { instanceOf: EncodeError },
  );
  t.is(error?.path, '[0].extensionData.namedGroupList[0]');
  t.throws(
    () =>
      ClientHelloExtensionList.build([
        {
          extensionType: T.server_name,
          extensionData: { serverNameList: [{ nameType: 0, hostName: 'é€' }] },
        },
      ]),
    { instanceOf: EncodeError },
  );
  t.throws(
    () =>
      ClientHelloExtensionList.build([
        { extensionType: 0x5555, extensionData: 'nope' as unknown as Uint8Array, unknown: true },
      ]),
    { instanceOf: EncodeError },
  );
  // Only host_name can be encoded: another name_type could not be parsed back (RFC 6066 §3).
  const nameType = t.throws(
    () =>
      ClientHelloExtensionList.build([
        {
          extensionType: T.server_name,
          extensionData: { serverNameList: [{ nameType: 1 as NameType, hostName: 'a' }] },
        },
      ]),
    { instanceOf: EncodeError },
  );
  t.is(nameType?.path, '[0].extensionData.serverNameList[0].nameType');
  t.deepEqual(concat([1], [2]), Uint8Array.of(1, 2));
});
