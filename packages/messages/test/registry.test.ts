import {
  AlertDescription,
  alertLevelRule,
  CipherSuite,
  CipherSuiteCodec,
  ContentType,
  cipherSuiteInfo,
  ExtensionType,
  enumName,
  HandshakeType,
  IMPLEMENTED_CIPHER_SUITES,
  isGrease,
  NamedGroup,
  ProtocolVersion,
  SignatureScheme,
} from '@tls-kit/messages';
import test from 'ava';

const codes = (e: object) => Object.values(e).filter((v): v is number => typeof v === 'number');

test('registry codes match the RFCs', (t) => {
  t.is(ContentType.handshake, 22);
  t.is(ContentType.application_data, 23);
  t.is(HandshakeType.message_hash, 254);
  t.is(HandshakeType.key_update, 24);
  t.is(ExtensionType.key_share, 51);
  t.is(ExtensionType.renegotiation_info, 0xff01);
  t.is(NamedGroup.x25519, 0x001d);
  t.is(NamedGroup.X25519MLKEM768, 0x11ec);
  t.is(SignatureScheme.rsa_pss_rsae_sha256, 0x0804);
  t.is(ProtocolVersion.TLS1_3, 0x0304);
  t.is(AlertDescription.certificate_required, 116);
});

test('the cipher suite table holds every IANA assignment as a u16 with its name', (t) => {
  const all = codes(CipherSuite);
  t.true(all.length > 340, `only ${all.length} suites`);
  t.is(new Set(all).size, all.length, 'codes are unique');
  for (const code of all) t.true(code >= 0 && code <= 0xffff);
  t.is(CipherSuite.TLS_AES_128_GCM_SHA256, 0x1301);
  t.is(CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, 0xcca9);
  t.is(CipherSuite[0xc02f], 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256');
  t.is(CipherSuite[0x00ff], 'TLS_EMPTY_RENEGOTIATION_INFO_SCSV');
  t.is(CipherSuite[0x5600], 'TLS_FALLBACK_SCSV');
  // The design project's bug: suites are two bytes on the wire.
  t.deepEqual([...CipherSuiteCodec.build(CipherSuite.TLS_CHACHA20_POLY1305_SHA256)], [0x13, 0x03]);
});

test('implemented suites carry key exchange, authentication, AEAD and hash', (t) => {
  t.is(IMPLEMENTED_CIPHER_SUITES.size, 11);
  t.like(cipherSuiteInfo(0x1302), { version: 'TLS1.3', aead: 'AES_256_GCM', hash: 'SHA384' });
  t.like(cipherSuiteInfo(0xc02b), {
    version: 'TLS1.2',
    kx: 'ECDHE',
    auth: 'ECDSA',
    aead: 'AES_128_GCM',
    hash: 'SHA256',
  });
  t.like(cipherSuiteInfo(0xcca8), { kx: 'ECDHE', auth: 'RSA', aead: 'CHACHA20_POLY1305' });
  t.like(cipherSuiteInfo(0x009f), { kx: 'DHE', auth: 'RSA', aead: 'AES_256_GCM', hash: 'SHA384' });
  t.is(cipherSuiteInfo(0x002f), undefined);
  for (const info of IMPLEMENTED_CIPHER_SUITES.values()) {
    t.is(info.name, CipherSuite[info.suite]);
    t.true(info.name.includes(info.aead) && info.name.endsWith(info.hash), info.name);
  }
});

test('GREASE values are recognised and named for display', (t) => {
  for (let i = 0; i < 16; i++) t.true(isGrease(i * 0x1010 + 0x0a0a));
  t.false(isGrease(0x0a0b));
  t.false(isGrease(0x1a2a));
  t.is(enumName(CipherSuite, 0x3a3a), 'GREASE(0x3a3a)');
  t.is(enumName(ExtensionType, 0x1234), 'unknown(0x1234)');
  t.is(enumName(ContentType, 99, 2), 'unknown(0x63)');
  t.is(enumName(NamedGroup, 29), 'x25519');
});

test('alertLevelRule: closure alerts are warnings, TLS 1.3 errors are fatal (RFC 8446 §6)', (t) => {
  t.is(alertLevelRule(AlertDescription.close_notify), 'warning');
  t.is(alertLevelRule(AlertDescription.user_canceled), 'warning');
  t.is(alertLevelRule(AlertDescription.handshake_failure), 'fatal');
  t.is(alertLevelRule(AlertDescription.bad_certificate), 'fatal');
  t.is(alertLevelRule(AlertDescription.no_renegotiation), 'fatal');
  t.is(alertLevelRule(AlertDescription.unrecognized_name, ProtocolVersion.TLS1_3), 'fatal');
});

test('alertLevelRule: TLS 1.2 rules (RFC 5246 §7.2.2)', (t) => {
  const v12 = ProtocolVersion.TLS1_2;
  t.is(alertLevelRule(AlertDescription.close_notify, v12), 'warning');
  t.is(alertLevelRule(AlertDescription.no_renegotiation, v12), 'warning');
  t.is(alertLevelRule(AlertDescription.certificate_expired, v12), 'either');
  t.is(alertLevelRule(AlertDescription.unrecognized_name, v12), 'either');
  t.is(alertLevelRule(AlertDescription.bad_record_mac, v12), 'fatal');
  t.is(alertLevelRule(AlertDescription.decode_error, v12), 'fatal');
  t.is(alertLevelRule(200, v12), 'fatal');
});
