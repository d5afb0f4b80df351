import { ConfigError } from './errors';
import { findBinding, type Env, type VcapServices } from './vcap';

export interface SecretSource {
  /** The explicit variable, e.g. SERVICE_KEY. */
  variable: string;
  /** A (usually user-provided) binding holding it, e.g. "service-credentials". */
  binding: string;
  /** Its field in the binding's credentials, e.g. "key". */
  field: string;
  /** Shortest acceptable length, so a placeholder is not mistaken for a secret. */
  minLength?: number;
}

/**
 * A secret from the explicit variable, then the binding's credentials; undefined when
 * neither has it (the caller decides whether that is fatal). Its value never appears in
 * an error message.
 */
export function resolveSecret(env: Env, services: VcapServices, source: SecretSource): string | undefined {
  const minLength = source.minLength ?? 16;
  const fromBinding = findBinding(services, source.binding)?.credentials[source.field];
  const value = env[source.variable] || (typeof fromBinding === 'string' ? fromBinding : undefined);
  const where = env[source.variable] ? source.variable : `binding "${source.binding}" credentials.${source.field}`;
  if (value !== undefined && value.length < minLength) {
    throw new ConfigError(`${where}: expected a secret of at least ${minLength} characters`, source.variable);
  }
  return value;
}
