import { type Infer, PrefixedBytes, Remaining, Struct, UBInt8, UBInt16, UBInt32 } from '@tls-kit/wire';
import { OpenEnum, SignatureSchemeCodec } from '../codecs/common.js';
import { CertificateStatus } from '../extensions/bodies.js';
import { EncryptedExtensionList, NewSessionTicketExtensionList } from '../extensions/contexts.js';
import { KeyUpdateRequest } from '../registry/misc.js';

/** `struct {} HelloRequest` (RFC 5246 §7.4.1.1). */
export const HelloRequest = Struct({}, 'HelloRequest');
/** `struct {} ServerHelloDone` (RFC 5246 §7.4.5). */
export const ServerHelloDone = Struct({}, 'ServerHelloDone');
/** `struct {} EndOfEarlyData` (RFC 8446 §4.5). */
export const EndOfEarlyData = Struct({}, 'EndOfEarlyData');

/** RFC 8446 §4.3.1. */
export const EncryptedExtensions = Struct({ extensions: EncryptedExtensionList }, 'EncryptedExtensions');

/** RFC 8446 §4.4.3; TLS 1.2's CertificateVerify is the same digitally-signed struct (RFC 5246 §7.4.8). */
export const CertificateVerify = Struct(
  { algorithm: SignatureSchemeCodec, signature: PrefixedBytes(UBInt16) },
  'CertificateVerify',
);

/**
 * `opaque verify_data[Hash.length]` (RFC 8446 §4.4.4), 12 bytes in TLS 1.2 (RFC 5246 §7.4.9): the
 * length comes from the handshake header; the engine checks it against the negotiated hash.
 */
export const Finished = Struct({ verifyData: Remaining }, 'Finished');

/** RFC 8446 §4.6.3. Unknown request_update values parse, for the engine to answer illegal_parameter. */
export const KeyUpdate = Struct({ requestUpdate: OpenEnum(UBInt8, KeyUpdateRequest) }, 'KeyUpdate');

/** The body of the synthetic message_hash message: Hash(ClientHello1) (RFC 8446 §4.4.1). */
export const MessageHash = Struct({ hash: Remaining }, 'MessageHash');

/** TLS 1.2 NewSessionTicket (RFC 5077 §3.3). */
export const NewSessionTicket12 = Struct(
  { ticketLifetimeHint: UBInt32, ticket: PrefixedBytes(UBInt16) },
  'NewSessionTicket',
);

/** TLS 1.3 NewSessionTicket (RFC 8446 §4.6.1). */
export const NewSessionTicket13 = Struct(
  {
    ticketLifetime: UBInt32,
    ticketAgeAdd: UBInt32,
    ticketNonce: PrefixedBytes(UBInt8),
    ticket: PrefixedBytes(UBInt16, { min: 1 }),
    extensions: NewSessionTicketExtensionList,
  },
  'NewSessionTicket',
);

/** TLS 1.2 CertificateStatus handshake message (RFC 6066 §8): an OCSP response. */
export const CertificateStatusMessage = Struct(CertificateStatus.fields, 'CertificateStatus');

export type EmptyMessage = Infer<typeof HelloRequest>;
export type EncryptedExtensionsMessage = Infer<typeof EncryptedExtensions>;
export type CertificateVerifyMessage = Infer<typeof CertificateVerify>;
export type FinishedMessage = Infer<typeof Finished>;
export type KeyUpdateMessage = Infer<typeof KeyUpdate>;
export type MessageHashMessage = Infer<typeof MessageHash>;
export type NewSessionTicket12Message = Infer<typeof NewSessionTicket12>;
export type NewSessionTicket13Message = Infer<typeof NewSessionTicket13>;
export type CertificateStatusMessageValue = Infer<typeof CertificateStatusMessage>;
