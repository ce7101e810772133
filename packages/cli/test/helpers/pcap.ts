// A minimal pcap writer for tests: each captured chunk becomes one raw-IPv4 (link type 228) TCP
// segment between 127.0.0.1:40000 (client) and 127.0.0.2:443 (server). No SYN: the dissector's
// reassembler takes the first speaker as the client. Checksums are left zero (not checked).
export function pcapOf(chunks: readonly { from: 'client' | 'server'; data: Uint8Array }[]): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(0xffff, 16);
  header.writeUInt32LE(228, 20);
  const seq = { client: 1000, server: 5000 };
  const records = chunks.flatMap(({ from, data }) => {
    // Large chunks are cut to fit the 16-bit IPv4 total length.
    const out: Buffer[] = [];
    for (let at = 0; at < data.length; at += 60_000) {
      const payload = data.subarray(at, at + 60_000);
      const ip = Buffer.alloc(40);
      ip.writeUInt8(0x45, 0);
      ip.writeUInt16BE(40 + payload.length, 2);
      ip.writeUInt8(64, 8);
      ip.writeUInt8(6, 9);
      const [src, dst] =
        from === 'client'
          ? [
              [127, 0, 0, 1],
              [127, 0, 0, 2],
            ]
          : [
              [127, 0, 0, 2],
              [127, 0, 0, 1],
            ];
      ip.set(src!, 12);
      ip.set(dst!, 16);
      ip.writeUInt16BE(from === 'client' ? 40000 : 443, 20);
      ip.writeUInt16BE(from === 'client' ? 443 : 40000, 22);
      ip.writeUInt32BE(seq[from] >>> 0, 24);
      ip.writeUInt32BE(seq[from === 'client' ? 'server' : 'client'] >>> 0, 28);
      ip.writeUInt8(5 << 4, 32);
      ip.writeUInt8(0x18, 33); // PSH, ACK
      ip.writeUInt16BE(65535, 34);
      seq[from] += payload.length;
      const record = Buffer.alloc(16);
      record.writeUInt32LE(ip.length + payload.length, 8);
      record.writeUInt32LE(ip.length + payload.length, 12);
      out.push(record, ip, Buffer.from(payload));
    }
    return out;
  });
  return Buffer.concat([header, ...records]);
}
