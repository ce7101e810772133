// @tls-kit/engine/record: the engine's record-key derivations, for tools that decrypt captured
// traffic with known secrets (the CLI's `dissect --keylog`): TLS 1.3 traffic keys and their
// KeyUpdate successors (RFC 8446 §7.2-7.3), the TLS 1.2 key block (RFC 5246 §6.3), and the suites.
export { nextTrafficSecret, type TrafficKeys, trafficKeys } from '../keyschedule/key-schedule.js';
export { type KeyBlock12, keyBlock12 } from '../keyschedule/tls12.js';
export { type CipherSuite, TLS12_SUITES, TLS13_SUITES, type Tls12CipherSuite } from '../suites.js';
