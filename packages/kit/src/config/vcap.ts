import { readFileSync } from 'node:fs';
import { ConfigError } from './errors';

/** One service binding as Cloud Foundry puts it in VCAP_SERVICES. */
export interface ServiceBinding {
  name: string;
  label: string;
  tags: string[];
  plan?: string;
  instance_name?: string;
  binding_name?: string | null;
  credentials: Record<string, unknown>;
}

/** VCAP_SERVICES: an object keyed by service label, each an array of bindings. */
export type VcapServices = Record<string, ServiceBinding[]>;

export type Env = Record<string, string | undefined>;

/**
 * Reads VCAP_SERVICES, or the file named by VCAP_SERVICES_FILE_PATH when the variable
 * itself is absent. No bindings at all is an empty object, not an error.
 */
export function readVcapServices(env: Env): VcapServices {
  let raw = env.VCAP_SERVICES;
  let source = 'VCAP_SERVICES';
  if (raw === undefined && env.VCAP_SERVICES_FILE_PATH) {
    source = `VCAP_SERVICES_FILE_PATH (${env.VCAP_SERVICES_FILE_PATH})`;
    try {
      raw = readFileSync(env.VCAP_SERVICES_FILE_PATH, 'utf8');
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new ConfigError(`${source}: cannot read the file (${reason})`, 'VCAP_SERVICES_FILE_PATH');
    }
  }
  if (raw === undefined || raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new ConfigError(
      `${source}: expected JSON (an object keyed by service label), got invalid JSON: ${(error as Error).message}`,
      'VCAP_SERVICES',
    );
  }
  if (!isPlainObject(parsed)) {
    throw new ConfigError(`${source}: expected a JSON object keyed by service label`, 'VCAP_SERVICES');
  }
  const services: VcapServices = {};
  for (const [label, bindings] of Object.entries(parsed)) {
    if (!Array.isArray(bindings)) {
      throw new ConfigError(`${source}: expected an array of bindings under "${label}"`, 'VCAP_SERVICES');
    }
    services[label] = bindings.map((binding, index) => normaliseBinding(binding, label, index, source));
  }
  return services;
}

function normaliseBinding(binding: unknown, label: string, index: number, source: string): ServiceBinding {
  if (!isPlainObject(binding) || typeof binding.name !== 'string' || binding.name === '') {
    throw new ConfigError(`${source}: binding ${index} under "${label}" has no name`, 'VCAP_SERVICES');
  }
  const tags = Array.isArray(binding.tags) ? binding.tags.filter((tag): tag is string => typeof tag === 'string') : [];
  const credentials = isPlainObject(binding.credentials) ? binding.credentials : {};
  return {
    ...(binding as object),
    name: binding.name,
    label: typeof binding.label === 'string' ? binding.label : label,
    tags,
    credentials,
  } as ServiceBinding;
}

/**
 * Finds a binding by its name (the binding name when set, else the instance name),
 * falling back to a tag. Never by label or position: those change between brokers.
 */
export function findBinding(services: VcapServices, nameOrTag: string): ServiceBinding | undefined {
  const all = Object.values(services).flat();
  return all.find((binding) => binding.name === nameOrTag) ?? all.find((binding) => binding.tags.includes(nameOrTag));
}

/** The names of every bound service, for error messages. */
export function boundNames(services: VcapServices): string[] {
  return Object.values(services)
    .flat()
    .map((binding) => binding.name);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
