// Counts the hellos in the records one side writes, for tests of HelloRetryRequest (RFC 8446
// §4.1.4): only the plaintext ones are seen, so in TLS 1.3 the first flights, since every later
// handshake record is disguised as application_data.
import { ContentType, HandshakeType, HELLO_RETRY_REQUEST_RANDOM } from '@tls-kit/messages';

export class HelloCounter {
  clientHellos = 0;
  helloRetryRequests = 0;
  private pending = Buffer.alloc(0);

  /** Takes the next bytes of the stream of records. */
  see(bytes: Uint8Array): void {
    this.pending = Buffer.concat([this.pending, bytes]);
    while (this.pending.length >= 5) {
      const length = this.pending.readUInt16BE(3);
      if (this.pending.length < 5 + length) return;
      if (this.pending[0] === ContentType.handshake) {
        const type = this.pending[5];
        if (type === HandshakeType.client_hello) this.clientHellos++;
        // RFC 8446 §4.1.3: a HelloRetryRequest is a ServerHello with a fixed random.
        const random = this.pending.subarray(11, 43);
        if (type === HandshakeType.server_hello && random.equals(HELLO_RETRY_REQUEST_RANDOM))
          this.helloRetryRequests++;
      }
      this.pending = this.pending.subarray(5 + length);
    }
  }

  /** `write`, counting what goes through it: the write callback to give a Connection's start(). */
  counting(write: (d: Uint8Array) => void): (d: Uint8Array) => void {
    return (d) => {
      this.see(d);
      write(d);
    };
  }
}
