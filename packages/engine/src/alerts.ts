// The design's send_alert level rules on top of @tls-kit/messages' alertLevelRule (RFC 8446 §6,
// RFC 5246 §7.2).
import { AlertLevel, alertLevelRule, ProtocolVersion } from '@tls-kit/messages';
import { alertName } from './alert-name.js';
import { InvalidAlertLevel } from './errors.js';

export { alertName };

/**
 * An explicit level must fit the description; without one the rule must be unambiguous for the
 * connection's version (TLS 1.3 until a version is negotiated).
 */
export function resolveAlertLevel(
  code: number,
  level: number | undefined,
  version = ProtocolVersion.TLS1_3,
): number {
  if (!Number.isInteger(code) || code < 0 || code > 255)
    throw new InvalidAlertLevel(`not an alert code: ${code}`);
  if (level !== undefined && level !== AlertLevel.warning && level !== AlertLevel.fatal) {
    throw new InvalidAlertLevel(`not an alert level: ${level}`);
  }
  const rule = alertLevelRule(code, version);
  if (level === undefined) {
    if (rule === 'either') throw new InvalidAlertLevel(`${alertName(code)} needs an explicit level`);
    return rule === 'fatal' ? AlertLevel.fatal : AlertLevel.warning;
  }
  if (rule === 'fatal' && level !== AlertLevel.fatal)
    throw new InvalidAlertLevel(`${alertName(code)} must be fatal`);
  if (rule === 'warning' && level !== AlertLevel.warning) {
    throw new InvalidAlertLevel(`${alertName(code)} must be a warning`);
  }
  return level;
}
