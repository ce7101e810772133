// The user's last word on the peer's chain, for ClientTLS.start and ServerTLS.start alike.
import type { Certificate } from '@tls-kit/certs';
import type { Connection } from './connection.js';

/**
 * Runs after the built-in validation with the peer's chain (leaf first) and the connection; its
 * exceptions invalidate the connection without an alert.
 */
export type VerifyCallback = (certificates: Certificate[], connection: Connection) => void;
