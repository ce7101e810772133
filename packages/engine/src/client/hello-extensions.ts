// The ClientHello extensions TLS 1.3 and TLS 1.2 send alike, in the order both send them; each
// version adds its own (supported_versions, key_share... for 1.3; RFC 5746, RFC 7627, RFC 8422,
// RFC 5077 ones for 1.2) where this builder leaves room for them.
import type { NamedGroupName } from '@tls-kit/crypto';
import { type ClientHelloExtension, ExtensionType, NameType } from '@tls-kit/messages';
import { GROUP_CODES, schemeCode } from '../algorithms.js';
import type { ResolvedConfig } from '../config.js';
import { STATUS_REQUEST } from '../handshake/ocsp.js';

export interface HelloExtensionChoices {
  /** server_name to send; undefined for IP literals (RFC 6066 §3). */
  readonly sni: string | undefined;
  /** supported_groups, in preference order; none sent when empty. */
  readonly groups: readonly NamedGroupName[];
  /** The version's own extensions, sent right after signature_algorithms. */
  readonly afterSignatureAlgorithms: readonly ClientHelloExtension[];
  /** Our record_size_limit (RFC 8449 §4). */
  readonly recordSizeLimit: number;
  /** max_fragment_length's code (RFC 6066 §4), when one is sent beside record_size_limit (RFC 8449 §5). */
  readonly maxFragmentLength: number | undefined;
  /** status_request (RFC 6066 §8). */
  readonly requestOCSP: boolean;
}

export function helloExtensions(
  config: ResolvedConfig,
  choices: HelloExtensionChoices,
): ClientHelloExtension[] {
  const T = ExtensionType;
  const extensions: ClientHelloExtension[] = [];
  if (choices.sni !== undefined) {
    extensions.push({
      extensionType: T.server_name,
      extensionData: { serverNameList: [{ nameType: NameType.host_name, hostName: choices.sni }] },
    });
  }
  if (choices.groups.length > 0) {
    extensions.push({
      extensionType: T.supported_groups,
      extensionData: { namedGroupList: choices.groups.map((g) => GROUP_CODES[g]) },
    });
  }
  extensions.push(
    {
      extensionType: T.signature_algorithms,
      extensionData: { supportedSignatureAlgorithms: config.signatureSchemes.map(schemeCode) },
    },
    ...choices.afterSignatureAlgorithms,
  );
  if (config.alpnProtocols.length > 0) {
    extensions.push({
      extensionType: T.application_layer_protocol_negotiation,
      extensionData: { protocolNameList: [...config.alpnProtocols] },
    });
  }
  extensions.push({
    extensionType: T.record_size_limit,
    extensionData: { recordSizeLimit: choices.recordSizeLimit },
  });
  // RFC 8449 §5: beside record_size_limit, for servers that only know the older extension.
  if (choices.maxFragmentLength !== undefined) {
    extensions.push({
      extensionType: T.max_fragment_length,
      extensionData: { maxFragmentLength: choices.maxFragmentLength },
    });
  }
  if (choices.requestOCSP) extensions.push(STATUS_REQUEST);
  return extensions;
}
