import { Const, type Infer, Struct, UBInt8 } from '@tls-kit/wire';
import { OpenEnum } from '../codecs/common.js';
import { AlertDescription, AlertLevel } from '../registry/alert.js';

/**
 * `struct { AlertLevel level; AlertDescription description; } Alert` (RFC 8446 §6). Both enums are
 * open: an unknown description must still be read, and treated as an error (§6).
 */
export const Alert = Struct(
  { level: OpenEnum(UBInt8, AlertLevel), description: OpenEnum(UBInt8, AlertDescription) },
  'Alert',
);

/** `struct { enum { change_cipher_spec(1), (255) } type; } ChangeCipherSpec` (RFC 5246 §7.1). */
export const ChangeCipherSpec = Struct({ type: Const(UBInt8, 1) }, 'ChangeCipherSpec');

export type AlertMessage = Infer<typeof Alert>;
