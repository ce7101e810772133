// The exceptions of the design document that belong to the protocol engine. The
// certificate-side ones (InvalidatedError included) come from @tls-kit/certs.
import { alertName } from './alert-name.js';
import { REASON_ALERTS, type Reason } from './reasons.js';

/** Raised when the peer sent us an alert (a fatal one, or a warning the connection cannot survive). */
export class TLSAlertError extends Error {
  override readonly name = 'TLSAlertError';
  constructor(
    readonly alertCode: number,
    readonly alertLevel: number,
  ) {
    super(`peer sent ${alertLevel === 2 ? 'fatal' : 'warning'} alert ${alertName(alertCode)} (${alertCode})`);
  }
}

/**
 * Raised when the peer's data broke the protocol, or the handshake found nothing it could use;
 * `alertCode` is the alert we wrote before raising, `reason` why (see reasons.ts).
 */
export class BadTLSDataError extends Error {
  override readonly name = 'BadTLSDataError';
  constructor(
    message: string,
    readonly alertCode: number,
    readonly reason: Reason,
  ) {
    super(`${message} (sent alert ${alertName(alertCode)})`);
  }
}

/** Raised by `sendAlert` when the level does not fit the alert description (RFC 8446 §6). */
export class InvalidAlertLevel extends Error {
  override readonly name = 'InvalidAlertLevel';
}

/** Raised when the connection is used in a way its state does not allow (e.g. data before `start`). */
export class TLSUsageError extends Error {
  override readonly name = 'TLSUsageError';
}

/** Internal: wraps an exception raised by a user callback (verifyCallback) so no alert is sent for it. */
export class UserCallbackError extends Error {
  constructor(override readonly cause: unknown) {
    super('user callback raised');
  }
}

/**
 * Internal: a protocol violation found while processing input. The connection turns it into
 * "write alert `alert`, invalidate, throw BadTLSDataError".
 */
export class ProtocolViolation extends Error {
  constructor(
    readonly alert: number,
    message: string,
    readonly reason: Reason,
  ) {
    super(message);
  }
}

/** Refuses the connection for `reason`, with its alert; `message` says what was seen. */
export function refuse(reason: Reason, message: string): never {
  throw new ProtocolViolation(REASON_ALERTS[reason], message, reason);
}
