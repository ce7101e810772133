// An alert description's name for messages, e.g. "handshake_failure" (RFC 8446 §6), apart from the
// alert level rules so that the exceptions (errors.ts) can name alerts without importing those rules.
import { AlertDescription, enumName } from '@tls-kit/messages';

export function alertName(code: number): string {
  return enumName(AlertDescription, code, 2);
}
