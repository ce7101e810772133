// Post-handshake client authentication, server side (RFC 8446 §4.6.2): Connection.
// requestClientCertificate() sends a CertificateRequest with a fresh context; the client's
// Certificate, CertificateVerify (with a chain) and Finished are checked over "ClientHello ...
// client Finished + CertificateRequest + ..." (§4.4), one request at a time.
import type { Certificate, TrustStore } from '@tls-kit/certs';
import { bytesEqual } from '@tls-kit/crypto/bytes';
import {
  Certificate13,
  CertificateRequest13,
  type CertificateRequestExtension,
  CertificateVerify,
  ExtensionType,
  HandshakeType,
} from '@tls-kit/messages';
import { schemeCode } from '../algorithms.js';
import { refuse, TLSUsageError } from '../errors.js';
import { checkFinished, verifyCertificateVerify } from '../handshake/common13.js';
import type { HandshakeContext } from '../handshake/context.js';
import { decode, type HandshakeMessage } from '../handshake/messages.js';
import { parsePeerCertificates, validatePeerChain } from '../handshake/peer-certificates.js';
import type { PostHandshakeAuth } from '../handshake/traffic13.js';
import type { CipherSuite } from '../suites.js';
import type { Transcript } from '../transcript/transcript.js';
import type { VerifyCallback } from '../verify-callback.js';

/** What a CertificateRequest carries and how the answer is judged (from ServerSettings). */
export interface ClientAuthSettings {
  readonly clientAuth: 'none' | 'request' | 'require';
  readonly clientTrustStore: TrustStore | undefined;
  /** DistinguishedName DER values for certificate_authorities. */
  readonly certificateAuthorities: readonly Uint8Array[];
  readonly verifyCallback: VerifyCallback | undefined;
}

/** signature_algorithms and, when configured, certificate_authorities (RFC 8446 §4.3.2). */
export function certificateRequestExtensions(
  conn: HandshakeContext,
  settings: ClientAuthSettings,
): CertificateRequestExtension[] {
  const extensions: CertificateRequestExtension[] = [
    {
      extensionType: ExtensionType.signature_algorithms,
      extensionData: { supportedSignatureAlgorithms: conn.config.signatureSchemes.map(schemeCode) },
    },
  ];
  if (settings.certificateAuthorities.length > 0) {
    extensions.push({
      extensionType: ExtensionType.certificate_authorities,
      extensionData: { authorities: [...settings.certificateAuthorities] },
    });
  }
  return extensions;
}

/** One request in flight: its transcript and the message it waits for. */
interface Pending {
  readonly context: Uint8Array;
  readonly transcript: Transcript;
  expect: number;
  leaf: Certificate | undefined;
}

/**
 * `handshake`: the transcript up to client Finished, forked for each request. `onDone` runs when
 * a client Finished checked out; the facts (peerCertificates, peerVerification) then hold the
 * new result.
 */
export function certificateRequester(
  conn: HandshakeContext,
  suite: CipherSuite,
  handshake: Transcript,
  settings: ClientAuthSettings,
  onDone: () => void,
): PostHandshakeAuth {
  let pending: Pending | undefined;
  const request = (): void => {
    if (pending) throw new TLSUsageError('a client certificate request is already in progress');
    const trustStore = settings.clientTrustStore;
    if (!trustStore) throw new TLSUsageError('requestClientCertificate needs clientTrustRoot');
    // RFC 8446 §4.3.2: a context unique within the connection; 16 random bytes are.
    const context = conn.config.random(16);
    const transcript = handshake.fork();
    conn.perform(() => {
      conn.sendHandshake(
        HandshakeType.certificate_request,
        CertificateRequest13.build({
          certificateRequestContext: context,
          extensions: certificateRequestExtensions(conn, settings),
        }),
        transcript,
      );
      pending = { context, transcript, expect: HandshakeType.certificate, leaf: undefined };
    });
  };
  const handle = (message: HandshakeMessage, clientSecret: Uint8Array): boolean => {
    const p = pending;
    if (!p || message.type !== p.expect) return false;
    switch (message.type) {
      case HandshakeType.certificate: {
        const certificate = decode(Certificate13, message.body);
        if (!bytesEqual(certificate.certificateRequestContext, p.context))
          refuse('BadCertificateRequestContext', 'client Certificate with the wrong context');
        p.transcript.add(message.raw);
        p.expect = HandshakeType.finished;
        if (certificate.certificateList.length === 0) {
          // RFC 8446 §4.4.2.4: no certificate when we require one is certificate_required.
          if (settings.clientAuth === 'require')
            refuse('NoClientCertificate', 'the client sent no certificate');
          return true;
        }
        const chain = parsePeerCertificates(conn.config.certificateCache, certificate.certificateList);
        validatePeerChain(
          conn,
          chain,
          'client',
          settings.clientTrustStore!,
          undefined,
          settings.verifyCallback,
        );
        p.leaf = chain[0];
        p.expect = HandshakeType.certificate_verify;
        return true;
      }
      case HandshakeType.certificate_verify: {
        const cv = decode(CertificateVerify, message.body);
        verifyCertificateVerify(
          conn,
          cv.algorithm,
          cv.signature,
          p.leaf!.publicKey,
          'client',
          p.transcript.current(),
        );
        p.transcript.add(message.raw);
        p.expect = HandshakeType.finished;
        return true;
      }
      default: {
        if (message.body.length !== suite.hashLength)
          refuse('BadFinishedLength', 'Finished of the wrong length');
        checkFinished(conn, suite, clientSecret, p.transcript.current(), message.body);
        pending = undefined;
        onDone();
        return true;
      }
    }
  };
  return { handle, request };
}
