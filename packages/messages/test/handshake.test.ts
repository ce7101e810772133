import {
  ASN1Cert,
  Certificate12,
  Certificate13,
  type Certificate13Message,
  CertificateRequest12,
  CertificateRequest13,
  type CertificateRequest13Message,
  CertificateStatusMessage,
  CertificateVerify,
  CipherSuite,
  ClientCertificateType,
  ClientHello,
  ClientHelloExtensionList,
  type ClientHelloMessage,
  ClientKeyExchangeDHE,
  ClientKeyExchangeECDHE,
  ClientKeyExchangeRSA,
  CompressionMethod,
  DOWNGRADE_TLS12,
  EncryptedExtensions,
  EndOfEarlyData,
  Finished,
  HandshakeType as H,
  Handshake,
  HELLO_RETRY_REQUEST_RANDOM,
  HelloRequest,
  KeyUpdate,
  KeyUpdateRequest,
  MessageHash,
  NamedGroup,
  NewSessionTicket12,
  NewSessionTicket13,
  PreMasterSecret,
  ProtocolVersion,
  ServerDHParams,
  ServerHello,
  ServerHelloDone,
  type ServerHelloMessage,
  ServerKeyExchangeDHE,
  ServerKeyExchangeECDHE,
  SignatureScheme,
  ExtensionType as T,
} from '@tls-kit/messages';
import { DecodeError, EncodeError, IncompleteDataError } from '@tls-kit/wire';
import test from 'ava';
import { bytes, concat, hex, roundTrip, truncationsAreIncomplete } from './helpers/bytes.js';

const random = bytes(32, 0x11);

const clientHelloNoExtensions: ClientHelloMessage = {
  legacyVersion: ProtocolVersion.TLS1_2,
  random,
  legacySessionId: bytes(0),
  cipherSuites: [
    CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    CipherSuite.TLS_EMPTY_RENEGOTIATION_INFO_SCSV,
  ],
  legacyCompressionMethods: [CompressionMethod.null],
};
const clientHelloNoExtensionsBytes = concat(hex('0303'), random, hex('00 0004 c02f 00ff 01 00'));

const clientHelloWithExtensions: ClientHelloMessage = {
  legacyVersion: ProtocolVersion.TLS1_2,
  random,
  legacySessionId: bytes(32, 0x22),
  cipherSuites: [0x1a1a, CipherSuite.TLS_AES_128_GCM_SHA256],
  legacyCompressionMethods: [CompressionMethod.null],
  extensions: [
    { extensionType: T.supported_versions, extensionData: { versions: [ProtocolVersion.TLS1_3] } },
    {
      extensionType: T.key_share,
      extensionData: { clientShares: [{ group: NamedGroup.x25519, keyExchange: bytes(32) }] },
    },
  ],
};

// --- seed: TestClientHello ----------------------------------------------------------------------

test('TestClientHello: as_bytes with no extensions returns the bytes it was created with', (t) => {
  t.deepEqual(ClientHello.parse(clientHelloNoExtensionsBytes), {
    ...clientHelloNoExtensions,
    extensions: undefined,
  });
  t.deepEqual(
    ClientHello.build(ClientHello.parse(clientHelloNoExtensionsBytes)),
    clientHelloNoExtensionsBytes,
  );
});

test('TestClientHello: as_bytes with extensions returns the bytes it was created with', (t) => {
  const built = roundTrip(t, ClientHello, clientHelloWithExtensions);
  // Cut right before the optional extensions block, the body is a valid extension-less
  // ClientHello (RFC 5246 §7.4.1.2); the handshake header's length is what detects that cut.
  const boundary =
    built.length - ClientHelloExtensionList.build(clientHelloWithExtensions.extensions!).length;
  t.is(ClientHello.parse(built.subarray(0, boundary)).extensions, undefined);
  const message = Handshake().build({ msgType: H.client_hello, body: clientHelloWithExtensions });
  truncationsAreIncomplete(t, Handshake(), message);
});

test('TestClientHello: an empty extensions block is kept distinct from an absent one', (t) => {
  const withEmpty = concat(clientHelloNoExtensionsBytes, [0, 0]);
  const parsed = ClientHello.parse(withEmpty);
  t.deepEqual(parsed.extensions, []);
  t.deepEqual(ClientHello.build(parsed), withEmpty);
});

test('TestClientHello: resumption (a session id, no extensions) parses into a ClientHello', (t) => {
  const encoded = concat(hex('0303'), random, [32], bytes(32, 0x33), hex('0002 009c 01 00'));
  const hello = ClientHello.parse(encoded);
  t.deepEqual(hello.legacySessionId, bytes(32, 0x33));
  t.deepEqual(hello.cipherSuites, [CipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256]);
  t.is(hello.extensions, undefined);
});

test('ClientHello refuses malformed vectors', (t) => {
  // no cipher suites (<2..2^16-2>)
  let e = t.throws(() => ClientHello.parse(concat(hex('0303'), random, hex('00 0000 01 00'))), {
    instanceOf: DecodeError,
  });
  t.is(e?.path, 'ClientHello.cipherSuites');
  // an odd cipher suites length: suites are u16 (the design project's bug)
  e = t.throws(() => ClientHello.parse(concat(hex('0303'), random, hex('00 0003 c02f 00 01 00'))), {
    instanceOf: DecodeError,
  });
  t.is(e?.path, 'ClientHello.cipherSuites[1]');
  // no compression methods (<1..2^8-1>)
  e = t.throws(() => ClientHello.parse(concat(hex('0303'), random, hex('00 0002 c02f 00'))), {
    instanceOf: DecodeError,
  });
  t.is(e?.path, 'ClientHello.legacyCompressionMethods');
  // a 33-byte session id (<0..32>)
  e = t.throws(
    () => ClientHello.parse(concat(hex('0303'), random, [33], bytes(33), hex('0002 c02f 01 00'))),
    {
      instanceOf: DecodeError,
    },
  );
  t.is(e?.path, 'ClientHello.legacySessionId');
  // one trailing byte after the extensions
  t.throws(() => ClientHello.parse(concat(clientHelloNoExtensionsBytes, [0, 0, 0])), {
    instanceOf: DecodeError,
  });
});

// --- seed: TestServerHello ----------------------------------------------------------------------

const serverHello12: ServerHelloMessage = {
  legacyVersion: ProtocolVersion.TLS1_2,
  random: concat(bytes(24, 5), DOWNGRADE_TLS12),
  legacySessionIdEcho: bytes(32, 9),
  cipherSuite: CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
  legacyCompressionMethod: CompressionMethod.null,
  isHelloRetryRequest: false,
};

test('TestServerHello: as_bytes with no extensions / parse_server_hello', (t) => {
  const encoded = concat(hex('0303'), serverHello12.random, [32], bytes(32, 9), hex('c02c 00'));
  t.deepEqual(ServerHello.parse(encoded), serverHello12);
  t.deepEqual(ServerHello.build(serverHello12), encoded);
});

test('TestServerHello: as_bytes with extensions / parse_server_hello_extensions', (t) => {
  const hello: ServerHelloMessage = {
    ...serverHello12,
    cipherSuite: CipherSuite.TLS_AES_256_GCM_SHA384,
    isHelloRetryRequest: false,
    extensions: [
      { extensionType: T.supported_versions, extensionData: { selectedVersion: ProtocolVersion.TLS1_3 } },
      {
        extensionType: T.key_share,
        extensionData: { serverShare: { group: NamedGroup.secp256r1, keyExchange: bytes(65, 4) } },
      },
    ],
  };
  roundTrip(t, ServerHello, hello);
  truncationsAreIncomplete(t, Handshake(), Handshake().build({ msgType: H.server_hello, body: hello }));
});

test('a HelloRetryRequest parses through ServerHello, flagged, with the HRR extension forms', (t) => {
  const encoded = concat(
    hex('0303'),
    HELLO_RETRY_REQUEST_RANDOM,
    [0],
    hex('1301 00 000c 002b 0002 0304 0033 0002 001d'),
  );
  const hrr = ServerHello.parse(encoded);
  t.true(hrr.isHelloRetryRequest);
  t.deepEqual(hrr.extensions, [
    { extensionType: T.supported_versions, extensionData: { selectedVersion: ProtocolVersion.TLS1_3 } },
    { extensionType: T.key_share, extensionData: { selectedGroup: NamedGroup.x25519 } },
  ]);
  t.deepEqual(ServerHello.build(hrr), encoded);
  // The flag must agree with the random when building.
  t.throws(() => ServerHello.build({ ...hrr, isHelloRetryRequest: false } as ServerHelloMessage), {
    instanceOf: EncodeError,
  });
  t.throws(() => ServerHello.build({ ...serverHello12, isHelloRetryRequest: true } as ServerHelloMessage), {
    instanceOf: EncodeError,
  });
});

// --- seed: TestCertificateParsing / TestCertificateRequestParsing -------------------------------

test('TestCertificateParsing: TLS 1.2 certificate_list of ASN.1Cert', (t) => {
  const encoded = hex('000009 000003 010203 000000'.replace(/ /g, '').slice(0, 24));
  t.deepEqual(Certificate12.parse(hex('000006 000003 010203')), { certificateList: [hex('010203')] });
  t.deepEqual(Certificate12.parse(hex('000000')), { certificateList: [] });
  t.throws(() => Certificate12.parse(encoded), { instanceOf: DecodeError });
  // An empty ASN.1Cert is not allowed (<1..2^24-1>).
  const e = t.throws(() => Certificate12.parse(hex('000003 000000')), { instanceOf: DecodeError });
  t.is(e?.path, 'Certificate.certificateList[0]');
  roundTrip(t, Certificate12, { certificateList: [bytes(300), bytes(5)] });
  t.deepEqual(ASN1Cert.build(bytes(2)), hex('000002abab'));
});

test('TestCertificateParsing: TLS 1.3 entries with per-entry extensions', (t) => {
  const value: Certificate13Message = {
    certificateRequestContext: bytes(0),
    certificateList: [
      {
        certData: bytes(200, 0x30),
        extensions: [
          { extensionType: T.status_request, extensionData: { statusType: 1, ocspResponse: bytes(20) } },
        ],
      },
      { certData: bytes(100, 0x31), extensions: [] },
    ],
  };
  const built = roundTrip(t, Certificate13, value);
  truncationsAreIncomplete(t, Certificate13, built);
});

test('TestCertificateRequestParsing: TLS 1.2 and 1.3 forms', (t) => {
  const v12 = {
    certificateTypes: [ClientCertificateType.rsa_sign, ClientCertificateType.ecdsa_sign],
    supportedSignatureAlgorithms: [SignatureScheme.rsa_pkcs1_sha256, SignatureScheme.ecdsa_secp256r1_sha256],
    certificateAuthorities: [bytes(40)],
  };
  roundTrip(t, CertificateRequest12, v12, concat(hex('02 01 40 0004 0401 0403 002a 0028'), bytes(40)));
  t.throws(() => CertificateRequest12.parse(hex('00 0002 0401 0000')), { instanceOf: DecodeError });
  const v13: CertificateRequest13Message = {
    certificateRequestContext: bytes(0),
    extensions: [
      {
        extensionType: T.signature_algorithms,
        extensionData: { supportedSignatureAlgorithms: [0x0804, 0x0403] },
      },
    ],
  };
  roundTrip(t, CertificateRequest13, v13, hex('00 000a 000d 0006 0004 0804 0403'));
  // extensions<2..2^16-1>: an empty block is malformed.
  t.throws(() => CertificateRequest13.parse(hex('00 0000')), { instanceOf: DecodeError });
  // RFC 8446 §4.4.2.1: OCSP is requested with an empty status_request (gnutls-serv sends it).
  const withStatusRequest = CertificateRequest13.parse(hex('00 000e 0005 0000 000d 0006 0004 0804 0403'));
  t.deepEqual(withStatusRequest.extensions[0], { extensionType: T.status_request, extensionData: {} });
});

// --- seed: TestHandshakeStructParsing ----------------------------------------------------------

test('TestHandshakeStructParsing: msg_type, uint24 length, body', (t) => {
  const body = ClientHello.build(clientHelloWithExtensions);
  const encoded = concat([H.client_hello, 0, body.length >> 8, body.length & 0xff], body);
  const message = Handshake().parse(encoded);
  t.is(message.msgType, H.client_hello);
  t.deepEqual(message.body, clientHelloWithExtensions);
  t.deepEqual(Handshake().build(message), encoded);
  truncationsAreIncomplete(t, Handshake(), encoded);
  // Length longer than the body: waiting for more; shorter: the body does not fill it.
  t.throws(() => Handshake().parse(concat(encoded, [0])), { instanceOf: DecodeError });
  const error = t.throws(() => Handshake().parse(hex('14 000003 0102')), { instanceOf: IncompleteDataError });
  t.is(error?.needed, 1);
});

test('Handshake decodes every body, with the context choosing version/kx-dependent forms', (t) => {
  const v12 = { version: ProtocolVersion.TLS1_2 };
  const v13 = { version: ProtocolVersion.TLS1_3 };
  const cases: [object, number, unknown][] = [
    [{}, H.hello_request, {}],
    [{}, H.server_hello_done, {}],
    [{}, H.end_of_early_data, {}],
    [{}, H.finished, { verifyData: bytes(12) }],
    [{}, H.key_update, { requestUpdate: KeyUpdateRequest.update_requested }],
    [{}, H.message_hash, { hash: bytes(32) }],
    [{}, H.certificate_verify, { algorithm: SignatureScheme.ed25519, signature: bytes(64) }],
    [{}, H.encrypted_extensions, { extensions: [] }],
    [{}, H.certificate_status, { statusType: 1, ocspResponse: bytes(9) }],
    [v12, H.certificate, { certificateList: [bytes(10)] }],
    [v13, H.certificate, { certificateRequestContext: bytes(1), certificateList: [] }],
    [v12, H.new_session_ticket, { ticketLifetimeHint: 7200, ticket: bytes(100) }],
    [
      v13,
      H.new_session_ticket,
      {
        ticketLifetime: 3600,
        ticketAgeAdd: 0xdeadbeef,
        ticketNonce: bytes(8),
        ticket: bytes(50),
        extensions: [],
      },
    ],
    [
      { ...v12, keyExchange: 'ECDHE' },
      H.server_key_exchange,
      {
        params: { curveParams: { curveType: 3, namedCurve: NamedGroup.x25519 }, public: bytes(32) },
        signedParams: { algorithm: SignatureScheme.rsa_pss_rsae_sha256, signature: bytes(256) },
      },
    ],
    [
      { ...v12, keyExchange: 'DHE' },
      H.server_key_exchange,
      {
        params: { dhP: bytes(256), dhG: hex('02'), dhYs: bytes(256) },
        signedParams: { algorithm: SignatureScheme.rsa_pkcs1_sha256, signature: bytes(256) },
      },
    ],
    [{ ...v12, keyExchange: 'ECDHE' }, H.client_key_exchange, { ecdhYc: bytes(65) }],
    [{ ...v12, keyExchange: 'DHE' }, H.client_key_exchange, { dhYc: bytes(256) }],
    [{ ...v12, keyExchange: 'RSA' }, H.client_key_exchange, { encryptedPreMasterSecret: bytes(256) }],
  ];
  for (const [context, msgType, body] of cases) {
    const codec = Handshake(context);
    const message = { msgType, body } as Parameters<typeof codec.build>[0];
    const built = codec.build(message);
    t.deepEqual(codec.parse(built), message, `${H[msgType]}`);
    t.is(built.length, 4 + ((built[1]! << 16) | (built[2]! << 8) | built[3]!));
  }
});

test('without the context it needs, a body is kept raw (never guessed)', (t) => {
  const encoded = hex('0b 000009 000006 000003 010203');
  const message = Handshake().parse(encoded);
  t.deepEqual(message, { msgType: H.certificate, body: hex('000006000003010203'), unknown: true });
  t.deepEqual(Handshake().build(message), encoded);
  const unknownType = hex('63 000002 abcd');
  t.deepEqual(Handshake().parse(unknownType), { msgType: 0x63, body: hex('abcd'), unknown: true });
  // A context-dependent body decodes once the version is known.
  t.deepEqual(Handshake({ version: ProtocolVersion.TLS1_2 }).parse(encoded).body, {
    certificateList: [hex('010203')],
  });
});

test('Handshake errors name the message and the field', (t) => {
  const bad = t.throws(() => Handshake().parse(hex('0f 000003 0804 00')), { instanceOf: DecodeError });
  t.is(bad?.path, 'Handshake.CertificateVerify.signature');
  const tooLong = t.throws(() => Handshake({ maxLength: 100 }).parse(hex('01 000100')), {
    instanceOf: DecodeError,
  });
  t.is(tooLong?.path, 'Handshake.length');
});

// --- seed: TestPreMasterSecretParsing / TestServerDHParamsparsing -------------------------------

test('TestPreMasterSecretParsing: client_version and 46 random bytes', (t) => {
  const encoded = concat(hex('0303'), bytes(46, 0x5a));
  t.deepEqual(PreMasterSecret.parse(encoded), {
    clientVersion: ProtocolVersion.TLS1_2,
    random: bytes(46, 0x5a),
  });
  t.deepEqual(PreMasterSecret.build(PreMasterSecret.parse(encoded)), encoded);
  truncationsAreIncomplete(t, PreMasterSecret, encoded);
  t.throws(() => PreMasterSecret.parse(concat(encoded, [0])), { instanceOf: DecodeError });
});

test('TestServerDHParamsparsing: dh_p, dh_g, dh_Ys', (t) => {
  const encoded = hex('0003 010203 0001 02 0002 0405');
  t.deepEqual(ServerDHParams.parse(encoded), { dhP: hex('010203'), dhG: hex('02'), dhYs: hex('0405') });
  t.deepEqual(ServerDHParams.build(ServerDHParams.parse(encoded)), encoded);
  truncationsAreIncomplete(t, ServerDHParams, encoded);
  const e = t.throws(() => ServerDHParams.parse(hex('0000 0001 02 0001 03')), { instanceOf: DecodeError });
  t.is(e?.path, 'ServerDHParams.dhP');
});

// --- the remaining messages --------------------------------------------------------------------

test('each body codec round-trips on its own, under its message name', (t) => {
  roundTrip(t, HelloRequest, {}, hex(''));
  roundTrip(t, ServerHelloDone, {}, hex(''));
  roundTrip(t, EndOfEarlyData, {}, hex(''));
  roundTrip(t, Finished, { verifyData: bytes(48) });
  roundTrip(t, KeyUpdate, { requestUpdate: KeyUpdateRequest.update_not_requested }, hex('00'));
  roundTrip(t, MessageHash, { hash: bytes(48) });
  roundTrip(
    t,
    CertificateVerify,
    { algorithm: SignatureScheme.ecdsa_secp384r1_sha384, signature: bytes(3) },
    hex('0503 0003 ababab'),
  );
  roundTrip(t, EncryptedExtensions, { extensions: [] }, hex('0000'));
  roundTrip(t, NewSessionTicket12, { ticketLifetimeHint: 1, ticket: bytes(0) }, hex('00000001 0000'));
  roundTrip(t, CertificateStatusMessage, { statusType: 1, ocspResponse: bytes(1) }, hex('01 000001 ab'));
  roundTrip(t, ClientKeyExchangeECDHE, { ecdhYc: bytes(2) }, hex('02 abab'));
  roundTrip(t, ClientKeyExchangeDHE, { dhYc: bytes(2) }, hex('0002 abab'));
  roundTrip(t, ClientKeyExchangeRSA, { encryptedPreMasterSecret: bytes(2) }, hex('0002 abab'));
  const ske = {
    params: { curveParams: { curveType: 3, namedCurve: NamedGroup.secp256r1 }, public: bytes(65, 4) },
    signedParams: { algorithm: SignatureScheme.ecdsa_secp256r1_sha256, signature: bytes(70) },
  };
  const built = roundTrip(t, ServerKeyExchangeECDHE, ske);
  t.deepEqual(built.subarray(0, 4), hex('03 0017 41'));
  roundTrip(t, ServerKeyExchangeDHE, {
    params: { dhP: bytes(3), dhG: bytes(1), dhYs: bytes(3) },
    signedParams: { algorithm: 0x0401, signature: bytes(0) },
  });
  roundTrip(t, NewSessionTicket13, {
    ticketLifetime: 604800,
    ticketAgeAdd: 1,
    ticketNonce: bytes(0),
    ticket: bytes(1),
    extensions: [{ extensionType: T.early_data, extensionData: { maxEarlyDataSize: 0xffffffff } }],
  });
});

test('malformed bodies give DecodeErrors', (t) => {
  // explicit curves are not supported (RFC 8422 §5.4)
  const e = t.throws(() => ServerKeyExchangeECDHE.parse(hex('01 0017 01 04 0403 0000')), {
    instanceOf: DecodeError,
  });
  t.is(e?.path, 'ServerKeyExchange.params.curveParams.curveType');
  // an empty ECPoint (<1..2^8-1>)
  t.throws(() => ClientKeyExchangeECDHE.parse(hex('00')), { instanceOf: DecodeError });
  // a TLS 1.3 ticket must not be empty
  t.throws(() => NewSessionTicket13.parse(hex('00000001 00000001 00 0000 0000')), {
    instanceOf: DecodeError,
  });
  // KeyUpdate with trailing data
  t.throws(() => KeyUpdate.parse(hex('0000')), { instanceOf: DecodeError });
  // ServerHelloDone must be empty
  t.throws(() => ServerHelloDone.parse(hex('00')), { instanceOf: DecodeError });
});
