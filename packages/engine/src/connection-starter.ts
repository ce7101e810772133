// What ClientTLS and ServerTLS have in common for a driver (the Node adapter, secureStreams):
// start() with the design's callbacks, giving the connection.
import type { Connection } from './connection.js';
import type { ConnectionEvents, WireClose, WriteToWire } from './core.js';
import type { VerifyCallback } from './verify-callback.js';

export interface ConnectionStarter {
  start(
    writeToWire: WriteToWire,
    wireClose: WireClose,
    verifyCallback?: VerifyCallback,
    events?: ConnectionEvents,
  ): Connection;
}
