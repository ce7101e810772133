// '@tls-kit/crypto/default' under the "node" export condition.
export { nodeProvider as defaultProvider } from './node.js';
