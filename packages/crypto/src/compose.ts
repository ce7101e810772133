// Composing providers: take `base`, replace some members, and/or route some key-exchange groups
// to another provider (for example: node for everything, noble for ML-KEM).
import type { CryptoProvider, KeyExchangeGroup, NamedGroupName } from './provider.js';

export type ProviderOverrides = Partial<CryptoProvider> & {
  /** Providers that handle particular named groups (supportsGroup/start/respond). */
  readonly groups?: Partial<Record<NamedGroupName, CryptoProvider>>;
};

const METHODS = [
  'createHash',
  'hash',
  'hmac',
  'hkdfExtract',
  'hkdfExpand',
  'importAeadKey',
  'supportsGroup',
  'startKeyExchange',
  'respondKeyExchange',
  'importPublicKey',
  'importPrivateKey',
  'generateKeyPair',
  'sign',
  'verify',
  'randomBytes',
  'timingSafeEqual',
] as const satisfies readonly (keyof CryptoProvider)[];

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
