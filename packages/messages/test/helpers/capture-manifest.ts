/**
 * What the peers of one recorded capture were told to use (fixtures/manifest.json, written by
 * fixtures/record.ts); captures.test.ts compares the decoded handshake with it.
 */
export interface CaptureExpectation {
  version: 'TLS1.2' | 'TLS1.3';
  cipherSuite: string;
  group?: string;
  serverName?: string;
  alpn?: string;
  helloRetryRequest?: boolean;
  clientAuth?: boolean;
  certificateRequested?: boolean;
  resumption?: boolean;
}
