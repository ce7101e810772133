// @tls-kit/engine/record: the engine's record keys and record protection, for tools that decrypt
// captured traffic with known secrets (the CLI's `dissect --keylog`): TLS 1.3 traffic keys and
// their KeyUpdate successors (RFC 8446 §7.2-7.3), the TLS 1.2 key block (RFC 5246 §6.3), the
// suites, and the protections that open records (RFC 8446 §5.2, RFC 5246 §6.2.3.3).
export { nextTrafficSecret, type TrafficKeys, trafficKeys } from '../keyschedule/key-schedule.js';
export { type KeyBlock12, keyBlock12 } from '../keyschedule/tls12.js';
export { type CipherSuite, TLS12_SUITES, TLS13_SUITES, type Tls12CipherSuite } from '../suites.js';
export type { RawRecord } from './deframer.js';
export { type OpenedRecord, Tls13Protection } from './protection.js';
export { Tls12Protection } from './protection12.js';
