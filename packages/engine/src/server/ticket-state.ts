// What a session ticket of ours carries, sealed by TicketKeys (RFC 8446 §4.6.1 leaves the
// format to the server). A wire Struct, so that decoding a forged-but-authentic ticket is strict.
import {
  type Infer,
  PrefixedBytes,
  Struct,
  TLSPrefixedArray,
  UBInt8,
  UBInt16,
  UBInt24,
  UBInt32,
} from '@tls-kit/wire';

export const TicketStateCodec = Struct(
  {
    suite: UBInt16,
    /** Creation time in ms since the epoch, as two u32 halves. */
    createdHigh: UBInt32,
    createdLow: UBInt32,
    ageAdd: UBInt32,
    lifetimeSeconds: UBInt32,
    psk: PrefixedBytes(UBInt8, { min: 1 }),
    serverName: PrefixedBytes(UBInt16),
    alpn: PrefixedBytes(UBInt8),
    /** The client's chain when it authenticated, so resumed connections report it. */
    clientCertificates: TLSPrefixedArray(PrefixedBytes(UBInt24, { min: 1 }), UBInt24),
  },
  'TicketState',
);

export type TicketState = Infer<typeof TicketStateCodec>;
