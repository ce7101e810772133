// Test support shared by the tls-kit packages' tests. Private: never built or published.
export { type Child, have, outputAtExit, spawnChild } from './child.js';
export { nestedDerSequences } from './der-nesting.js';
export { gnutlsClient, gnutlsServer, haveGnutls } from './gnutls.js';
export { type NodeBlockedOptions, runWithNodeBlocked } from './node-blocked.js';
export {
  type CrlSpec,
  haveOpenssl,
  openssl,
  opensslClient,
  opensslCrl,
  opensslOcspResponse,
  opensslPrf,
  opensslSelfSigned,
  opensslServer,
} from './openssl.js';
export { freePort } from './ports.js';
export { forgeE3Signature } from './rsa-forgery.js';
