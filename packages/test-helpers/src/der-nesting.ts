// Deeply nested DER, for the depth limits of the DER reader and the parsers on it.

/**
 * `depth` SEQUENCEs around a NULL, each with its shortest definite length (X.690 §10.1), built in
 * one buffer: 100,000 levels stay a few hundred kilobytes and are made without recursion.
 */
export function nestedDerSequences(depth: number): Uint8Array {
  const headerFor = (len: number) =>
    len < 0x80
      ? [len]
      : len < 0x100
        ? [0x81, len]
        : len < 0x10000
          ? [0x82, len >> 8, len & 0xff]
          : [0x83, len >> 16, (len >> 8) & 0xff, len & 0xff];
  const headers: number[][] = [];
  let len = 2;
  for (let i = 0; i < depth; i++) {
    const h = [0x30, ...headerFor(len)];
    headers.push(h);
    len += h.length;
  }
  const out = new Uint8Array(len);
  let p = 0;
  for (let i = headers.length - 1; i >= 0; i--) {
    out.set(headers[i]!, p);
    p += headers[i]!.length;
  }
  out.set([0x05, 0x00], p);
  return out;
}
