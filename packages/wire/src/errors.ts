/** One step of a field path: a struct field name or an array index. */
export type PathSegment = string | number;

/** Options of WireError constructors. */
export interface WireErrorOptions extends ErrorOptions {
  /** Absolute byte offset in the input. */
  offset?: number;
}

/**
 * Base class of every error thrown by wire codecs. `path` names the field where the problem was
 * found, e.g. `ClientHello.extensions[3].value`; composites prepend their segment as the error
 * travels up, so the innermost codec only states the reason.
 */
export class WireError extends Error {
  /** The problem itself, without the path. */
  readonly reason: string;
  /** Field path from the outermost named codec down to the failing field ('' at top level). */
  path = '';
  /** The same path as segments, outermost first. */
  readonly segments: PathSegment[] = [];

  /** Absolute offset in the parsed input where the problem was found (decoding only). */
  offset: number | undefined;

  constructor(reason: string, options?: WireErrorOptions) {
    super(reason, options);
    this.name = new.target.name;
    this.reason = reason;
    this.offset = options?.offset;
  }

  /** Adds an outer path segment; called by composites (Struct, arrays, switches) on the way up. */
  prependPath(segment: PathSegment): this {
    this.segments.unshift(segment);
    let path = '';
    for (const s of this.segments) {
      if (typeof s === 'number') path += `[${s}]`;
      else path += path === '' ? s : `.${s}`;
    }
    this.path = path;
    this.message = `${path}: ${this.reason}`;
    return this;
  }
}

/**
 * The input ended before the value did. `needed` is how many more bytes the failing read wanted,
 * so a record layer can wait for at least that much more data and retry. Only raised for the
 * outermost input: running past the end of a length-prefixed container is a DecodeError.
 */
export class IncompleteDataError extends WireError {
  /** Minimum number of additional bytes required before parsing can progress. */
  readonly needed: number;

  constructor(needed: number, options?: WireErrorOptions) {
    super(`input ended early: ${needed} more byte(s) needed`, options);
    this.needed = needed;
  }
}

/** Malformed input: trailing bytes, a bad length, a value outside its bounds or enum. */
export class DecodeError extends WireError {}

/** A value that cannot be encoded: wrong type, out of range, too long, not a member of its enum. */
export class EncodeError extends WireError {}
