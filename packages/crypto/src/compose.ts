// Composing providers: take `base`, replace some members, and/or route some key-exchange groups
// to another provider (for example: node for everything, noble for ML-KEM).
import type { CryptoProvider, KeyExchangeGroup, NamedGroupName } from './provider.js';

export type ProviderOverrides = Partial<CryptoProvider> & {
  /** Providers that handle particular named groups (supportsGroup/start/respond). */
  readonly groups?: Partial<Record<NamedGroupName, CryptoProvider>>;
};

/** Every required method of a provider: a key missing here fails to compile. */
type RequiredMethod = Exclude<keyof CryptoProvider, 'name' | 'allocateUninitialized'>;
const REQUIRED_METHODS: Record<RequiredMethod, true> = {
  createHash: true,
  hash: true,
  hmac: true,
  hkdfExtract: true,
  hkdfExpand: true,
  importAeadKey: true,
  supportsGroup: true,
  startKeyExchange: true,
  respondKeyExchange: true,
  importPublicKey: true,
  importPrivateKey: true,
  generateKeyPair: true,
  sign: true,
  verify: true,
  randomBytes: true,
  isProbablePrime: true,
  timingSafeEqual: true,
};
const METHODS = Object.keys(REQUIRED_METHODS) as RequiredMethod[];

export function composeProvider(base: CryptoProvider, overrides: ProviderOverrides): CryptoProvider {
  const { groups = {}, name, ...members } = overrides;
  const bound: Record<string, unknown> = {};
  // Bind so that class-based providers keep their `this`.
  for (const method of METHODS) bound[method] = (base[method] as (...args: never[]) => unknown).bind(base);
  // Optional members pass through where the base has them.
  if (base.allocateUninitialized) bound.allocateUninitialized = base.allocateUninitialized.bind(base);
  const merged = { ...bound, ...members } as unknown as CryptoProvider;
  const route = (group: KeyExchangeGroup): CryptoProvider =>
    (typeof group === 'string' ? groups[group] : undefined) ?? merged;
  const routedNames = Object.keys(groups).map((group) => `${group}:${groups[group as NamedGroupName]?.name}`);
  return {
    ...merged,
    name: name ?? [base.name, ...Object.keys(members), ...routedNames].join('+'),
    supportsGroup: (group) => route(group).supportsGroup(group),
    startKeyExchange: (group, privateKey) => route(group).startKeyExchange(group, privateKey),
    respondKeyExchange: (group, peerPublicKey) => route(group).respondKeyExchange(group, peerPublicKey),
  };
}
