import { nodeProvider } from '@tls-kit/crypto/node';
import test from 'ava';
import { providers, utf8 } from './helpers.js';

// RFC 8017 §8.2.2 step 1: a signature that is not exactly k octets is invalid. OpenSSL
// left-pads short input, so a signature whose first byte is zero would also verify with
// that byte cut off unless the provider checks the length itself.
const key = nodeProvider.generateKeyPair({ type: 'rsa', bits: 2048 });
const schemes = ['rsa_pkcs1_sha256', 'rsa_pss_rsae_sha256'] as const;

function signatureWithLeadingZero(scheme: (typeof schemes)[number]) {
  for (let i = 0; ; i++) {
    const message = utf8(`message ${i}`);
    const signature = nodeProvider.sign(scheme, key, message);
    if (signature[0] === 0) return { message, signature };
  }
}

for (const scheme of schemes) {
  const { message, signature } = signatureWithLeadingZero(scheme);
  for (const provider of providers) {
    test(`${provider.name}: ${scheme} signature with its leading zero byte removed is refused`, (t) => {
      const publicKey = provider.importPublicKey(key.publicKey.spki);
      t.true(provider.verify(scheme, publicKey, message, signature));
      t.false(provider.verify(scheme, publicKey, message, signature.subarray(1)));
    });
  }
}
