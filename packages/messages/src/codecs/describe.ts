/** Describes a value for an error message without risking a throw. */
export function describe(value: unknown): string {
  if (value instanceof Uint8Array) return `Uint8Array(${value.length})`;
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'object';
  if (typeof value === 'symbol' || typeof value === 'function') return typeof value;
  return String(value);
}
