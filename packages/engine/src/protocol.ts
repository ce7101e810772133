// Record size limits the engine enforces (RFC 8446 §5.1, §5.2; RFC 5246 §6.2.3), from
// @tls-kit/messages, under the engine's names. Protocol numbers come from messages' registries.
export {
  MAX_CIPHERTEXT_LENGTH as MAX_CIPHERTEXT_12,
  MAX_PLAINTEXT_LENGTH as MAX_PLAINTEXT,
  MAX_TLS13_CIPHERTEXT_LENGTH as MAX_CIPHERTEXT_13,
} from '@tls-kit/messages';
