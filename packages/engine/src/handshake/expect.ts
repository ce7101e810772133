import { refuse } from '../errors.js';
import { type HandshakeMessage, handshakeName } from './messages.js';

export function expectMessage(message: HandshakeMessage, type: number, state: string): void {
  if (message.type !== type) {
    refuse(
      'UnexpectedHandshakeMessage',
      `${state}: got ${handshakeName(message.type)}, expected ${handshakeName(type)}`,
    );
  }
}
