// '@tls-kit/crypto/default' outside Node (browsers, bundlers without the "node" condition).
export { nobleProvider as defaultProvider } from './noble.js';
