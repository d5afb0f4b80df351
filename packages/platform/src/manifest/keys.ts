/**
 * The keys today's cf CLI (v8) accepts in an app manifest, and nothing else: a key the CLI
 * does not know is an error here, so a manifest that runs locally also pushes. Deprecated
 * keys (`buildpack`, `host`, `hosts`, `domain`, `domains`, `no-hostname`, `inherit`) are
 * refused with the key that replaces them.
 */
export const TOP_LEVEL_KEYS = new Set(['version', 'applications']);

const PROCESS_KEYS = [
  'command',
  'disk_quota',
  'health-check-type',
  'health-check-http-endpoint',
  'health-check-invocation-timeout',
  'health-check-interval',
  'readiness-health-check-type',
  'readiness-health-check-http-endpoint',
  'readiness-health-check-invocation-timeout',
  'readiness-health-check-interval',
  'instances',
  'log-rate-limit-per-second',
  'memory',
  'timeout',
];

export const PROCESS_LEVEL_KEYS = new Set(['type', ...PROCESS_KEYS]);

export const APP_LEVEL_KEYS = new Set([
  'name',
  'path',
  'buildpacks',
  'docker',
  'env',
  'lifecycle',
  'metadata',
  'no-route',
  'default-route',
  'random-route',
  'processes',
  'routes',
  'services',
  'sidecars',
  'stack',
  ...PROCESS_KEYS,
]);

export const ROUTE_KEYS = new Set(['route', 'protocol', 'options']);

export const SERVICE_KEYS = new Set(['name', 'parameters', 'binding_name']);

export const DEPRECATED: Record<string, string> = {
  buildpack: 'buildpacks (a list)',
  host: 'routes',
  hosts: 'routes',
  domain: 'routes',
  domains: 'routes',
  'no-hostname': 'routes',
  inherit: 'one manifest per set of apps (inheritance was removed)',
};
