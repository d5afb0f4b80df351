import { findBinding, resolveSecret, type VcapServices } from '@bundle/kit';
import type { TokensSettings } from './config';
import type { KeyInput, KeySource } from './domain/keys';

/** The user-provided binding that may hold the keys (cf cups token-keys -p '{"signing_key": ...}'). */
export const KEYS_BINDING = 'token-keys';
export const SERVICE_BINDING = 'service-credentials';

/**
 * The keys and the service key, each from its variable first, then its binding.
 * Settings stand in for the environment here, so only main.ts ever reads process.env.
 */
export function readSecrets(settings: TokensSettings, services: VcapServices): { serviceKey: string | undefined; keys: KeyInput } {
  const serviceKey = resolveSecret({ SERVICE_KEY: settings.serviceKey }, services, {
    variable: 'SERVICE_KEY',
    binding: SERVICE_BINDING,
    field: 'key',
  });
  const credentials = findBinding(services, KEYS_BINDING)?.credentials ?? {};
  const field = (name: string): string | undefined => {
    const value = credentials[name];
    return typeof value === 'string' && value.trim() !== '' ? value : undefined;
  };
  const source = (value: string, variable: string, bindingField: string): KeySource | undefined => {
    if (value.trim() !== '') return { value, where: variable, variable };
    const bound = field(bindingField);
    return bound === undefined ? undefined : { value: bound, where: `binding "${KEYS_BINDING}" credentials.${bindingField}`, variable };
  };
  return {
    serviceKey,
    keys: {
      signingKey: source(settings.signingKey, 'TOKEN_SIGNING_KEY', 'signing_key'),
      signingKeyId: settings.signingKeyId || field('key_id'),
      previousPublicKey: source(settings.previousPublicKey, 'TOKEN_PREVIOUS_PUBLIC_KEY', 'previous_public_key'),
      previousKeyId: settings.previousKeyId || field('previous_key_id'),
    },
  };
}
