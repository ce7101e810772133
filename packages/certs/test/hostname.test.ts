// RFC 9525 server identity checks.

import { CertificateBuilder, parseIpAddress, verifyHostname } from '@tls-kit/certs';
import { nodeProvider } from '@tls-kit/crypto/node';
import test from 'ava';

const builder = new CertificateBuilder({ provider: nodeProvider });
const root = builder.root({ subject: 'CN=Hostname Root' });
const withSans = (...sans: string[]) =>
  builder.leaf(root, { subject: 'CN=ignored.example', key: root.privateKey!, subjectAltNames: sans });

const cases: [string[], string, boolean][] = [
  [['DNS:example.com'], 'example.com', true],
  [['DNS:example.com'], 'EXAMPLE.com', true],
  [['DNS:Example.COM'], 'example.com', true],
  [['DNS:example.com'], 'example.com.', true],
  [['DNS:example.com.'], 'example.com', true],
  [['DNS:example.com'], 'www.example.com', false],
  [['DNS:www.example.com'], 'example.com', false],
  [['DNS:example.com'], 'example.co', false],
  [['DNS:example.com'], 'xample.com', false],
  // Wildcards (§6.3): the whole left-most label, exactly one label.
  [['DNS:*.example.com'], 'www.example.com', true],
  [['DNS:*.example.com'], 'WWW.Example.Com', true],
  [['DNS:*.example.com'], 'example.com', false],
  [['DNS:*.example.com'], 'a.b.example.com', false],
  [['DNS:*.example.com'], '.example.com', false],
  [['DNS:*.a.com'], 'a.com', false],
  [['DNS:f*.example.com'], 'foo.example.com', false],
  [['DNS:*o.example.com'], 'foo.example.com', false],
  [['DNS:w*w.example.com'], 'www.example.com', false],
  [['DNS:www.*.com'], 'www.example.com', false],
  [['DNS:*.*.example.com'], 'a.b.example.com', false],
  [['DNS:*.com'], 'example.com', false],
  [['DNS:*'], 'example', false],
  [['DNS:example.com'], '*.example.com', false],
  [['DNS:*.example.com'], '*.example.com', false],
  // IDNA: A-labels compare as A-labels; U-labels in the reference are converted first.
  [['DNS:xn--bcher-kva.example'], 'xn--bcher-kva.example', true],
  [['DNS:xn--bcher-kva.example'], 'XN--BCHER-KVA.example', true],
  [['DNS:xn--bcher-kva.example'], 'bücher.example', true],
  [['DNS:*.shop.example'], 'bücher.shop.example', true],
  [['DNS:bucher.example'], 'bücher.example', false],
  // IP addresses only against iPAddress SANs, octet for octet.
  [['IP:127.0.0.1'], '127.0.0.1', true],
  [['IP:127.0.0.1'], '127.0.0.2', false],
  [['DNS:127.0.0.1'], '127.0.0.1', false],
  [['IP:127.0.0.1'], '::ffff:127.0.0.1', false],
  [['IP:::1'], '::1', true],
  [['IP:::1'], '[::1]', true],
  [['IP:::1'], '0:0:0:0:0:0:0:1', true],
  [['IP:2001:db8::1'], '2001:DB8:0::1', true],
  [['IP:2001:db8::1'], '2001:db8::2', false],
  [['IP:10.0.0.1'], '010.0.0.1', false],
  [['DNS:example.com', 'IP:192.0.2.1'], '192.0.2.1', true],
  [['DNS:example.com', 'IP:192.0.2.1'], 'example.com', true],
  // Reference identifiers that are not host names never match.
  [['DNS:example.com'], '', false],
  [['DNS:example.com'], 'example..com', false],
  [['DNS:example.com'], 'exa mple.com', false],
];

for (const [sans, host, expected] of cases) {
  test(`${sans.join(',')} vs "${host}" -> ${expected}`, (t) => {
    t.is(verifyHostname(withSans(...sans), host), expected);
  });
}

test('the CN is never used, with or without a SAN (RFC 9525 §6.2)', (t) => {
  const cnOnly = builder.leaf(root, {
    subject: 'CN=cn.example.com',
    key: root.privateKey!,
    subjectAltNames: [],
  });
  t.false(verifyHostname(cnOnly, 'cn.example.com'));
  const both = builder.leaf(root, {
    subject: 'CN=cn.example.com',
    key: root.privateKey!,
    subjectAltNames: ['DNS:san.example.com'],
  });
  t.false(verifyHostname(both, 'cn.example.com'));
  t.true(verifyHostname(both, 'san.example.com'));
});

test('parseIpAddress', (t) => {
  t.deepEqual(parseIpAddress('1.2.3.4'), Uint8Array.of(1, 2, 3, 4));
  t.deepEqual(
    parseIpAddress('::ffff:1.2.3.4'),
    Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 1, 2, 3, 4),
  );
  for (const bad of [
    '1.2.3',
    '1.2.3.256',
    '1.2.3.4.5',
    ':::',
    '1::2::3',
    '1:2:3:4:5:6:7:8:9',
    'g::1',
    'example.com',
    '1:2:3:4:5:6:7::8',
  ]) {
    t.is(parseIpAddress(bad), undefined, bad);
  }
});
