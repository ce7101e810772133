// Caps on input that carries nothing, as BoringSSL's kMaxEmptyRecords / kMaxWarningAlerts /
// kMaxKeyUpdates: empty records, dropped TLS 1.3 change_cipher_spec records, ignored HelloRequests,
// warning alerts and KeyUpdates cost us work and give the application nothing, so a peer may send
// only a few in a row. Counters are consecutive: a record with data (handshake or application)
// resets them. Over a cap: unexpected_message (RFC 8446 §6.2).
import { refuse } from '../errors.js';

/** Consecutive empty records (and dropped change_cipher_spec records, ignored HelloRequests). */
export const MAX_EMPTY_RECORDS = 32;
/** Consecutive warning alerts (TLS 1.2; TLS 1.3 user_canceled). */
export const MAX_WARNING_ALERTS = 4;
/** Consecutive TLS 1.3 KeyUpdates without application data in between. */
export const MAX_KEY_UPDATES = 32;

export class EmptyRecordCaps {
  private empty = 0;
  private warnings = 0;
  private keyUpdates = 0;

  /**
   * A record that carried data: the peer is doing real work again. True when nothing is counted
   * any more (application data also ends a run of KeyUpdates: the record layer then drops these caps).
   */
  data(): boolean {
    this.empty = 0;
    this.warnings = 0;
    return this.keyUpdates === 0;
  }

  emptyRecord(what: string): void {
    if (++this.empty > MAX_EMPTY_RECORDS)
      refuse('TooManyEmptyRecords', `more than ${MAX_EMPTY_RECORDS} ${what} in a row`);
  }

  warningAlert(): void {
    if (++this.warnings > MAX_WARNING_ALERTS)
      refuse('TooManyWarningAlerts', `more than ${MAX_WARNING_ALERTS} warning alerts in a row`);
  }

  keyUpdate(): void {
    if (++this.keyUpdates > MAX_KEY_UPDATES)
      refuse('TooManyKeyUpdates', `more than ${MAX_KEY_UPDATES} KeyUpdates without data`);
  }
}
