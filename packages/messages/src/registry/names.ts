// Display names for registry codes. Parsed values are plain numbers (open enums keep unknown and
// GREASE codes); names are looked up only when showing them.

/** A TypeScript numeric enum object (it carries the reverse mapping code -> name). */
export type NumericEnum = Record<string, string | number>;

/**
 * RFC 8701 §2: GREASE values for cipher suites, extensions, groups, signature algorithms and
 * versions are 0x0A0A, 0x1A1A, ..., 0xFAFA.
 */
export function isGrease(code: number): boolean {
  return (code & 0x0f0f) === 0x0a0a && code >> 8 === (code & 0xff);
}

function hex(code: number, width: number): string {
  return `0x${code.toString(16).padStart(width, '0')}`;
}

/**
 * The registry name of `code`, else "GREASE" / "unknown"; `width` is the hex digits of the wire
 * field (2 for u8 codes, 4 for u16).
 */
export function enumName(enumObject: NumericEnum, code: number, width = 4): string {
  const name = enumObject[code];
  if (typeof name === 'string') return name;
  if (width === 4 && isGrease(code)) return `GREASE(${hex(code, 4)})`;
  return `unknown(${hex(code, width)})`;
}
