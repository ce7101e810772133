import { refuse } from '../errors.js';

/**
 * ServerOptions.alpnCallback: the protocol to use among those the client offered (in its order),
 * or undefined to refuse the connection (no_application_protocol).
 */
export type AlpnCallback = (offered: readonly string[], serverName: string | undefined) => string | undefined;

/** The negotiated protocol, or undefined when ALPN is not in use; none in common is fatal. */
export function chooseAlpn(
  offered: readonly string[] | undefined,
  ours: readonly string[],
  callback: AlpnCallback | undefined,
  serverName: string | undefined,
): string | undefined {
  if (!offered) return undefined;
  if (callback) {
    const chosen = callback(offered, serverName);
    if (chosen === undefined || !offered.includes(chosen))
      refuse('AlpnCallbackRefused', 'the ALPN callback chose no offered protocol');
    return chosen;
  }
  if (ours.length === 0) return undefined;
  const chosen = ours.find((p) => offered.includes(p));
  if (!chosen) refuse('NoApplicationProtocol', 'no ALPN protocol in common');
  return chosen;
}
