import type { AppSpec, ProcessSpec } from '../manifest/types';
import { guid, vcapServicesFor, type VcapBinding } from './bindings';
import { resolveInternalHosts } from './internal-routes';

/** What the runner passes from its own environment: enough for bash and node, nothing else. */
const INHERITED = ['PATH', 'HOME', 'USER', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR', 'SHELL'];

export interface InstanceEnvironment {
  space: string;
  app: AppSpec;
  process: ProcessSpec;
  index: number;
  port: number;
  /** The push this instance belongs to (VCAP_APPLICATION's application_version is a GUID). */
  pushId: string;
  bindings: Map<string, VcapBinding>;
  inherit: NodeJS.ProcessEnv;
  /** Internal routes' hosts and the 127.0.0.1 port each resolves to in this space. */
  internalAddresses?: ReadonlyMap<string, number>;
  /** The space's OTEL_* variables (telemetry/space-telemetry.ts): its receiver's address, or npm start's own endpoint. */
  telemetry?: Record<string, string> | undefined;
}

/**
 * The environment Cloud Foundry gives an instance: the manifest's env, then what the
 * platform sets (which the manifest cannot override): PORT, HOST, VCAP_APPLICATION,
 * VCAP_SERVICES, CF_INSTANCE_*, MEMORY_LIMIT, and NODE_ENV=production as the Node.js
 * buildpack sets it (the manifest may change that one). An internal route's host in the
 * manifest's env is resolved to its local listener (internal-routes.ts). The space's
 * OTEL_* variables come before the manifest's env: an app that names its own endpoint
 * exports there, as it would on Cloud Foundry.
 */
export function instanceEnvironment(options: InstanceEnvironment): Record<string, string> {
  const { app, process, index, port, space } = options;
  const env: Record<string, string> = {};
  for (const name of INHERITED) {
    const value = options.inherit[name];
    if (value !== undefined) env[name] = value;
  }
  const uris = app.routes.map((route) => route.route);
  const vcapApplication = {
    application_id: guid(`${space}/${app.name}`),
    application_name: app.name,
    application_uris: uris,
    application_version: options.pushId,
    cf_api: 'local',
    limits: { disk: process.diskMb, fds: 16384, mem: process.memoryMb },
    name: app.name,
    organization_id: guid('local'),
    organization_name: 'local',
    process_id: guid(`${space}/${app.name}/${process.type}`),
    process_type: process.type,
    space_id: guid(`space/${space}`),
    space_name: space,
    uris,
    users: null,
    version: options.pushId,
    instance_index: index,
    instance_id: guid(`${space}/${app.name}/${process.type}/${index}/${options.pushId}/${port}`),
    port,
  };
  return {
    ...env,
    NODE_ENV: 'production',
    ...options.telemetry,
    ...resolveInternalHosts(app.env, options.internalAddresses ?? new Map()),
    PORT: String(port),
    // On a cell only the router and the container network reach an instance. Here the
    // machine's other addresses would, past the router's limits and to the ops routes a
    // direct request may see (the kit's HOST default, 0.0.0.0, is a container's).
    HOST: '127.0.0.1',
    INSTANCE_INDEX: String(index),
    CF_INSTANCE_INDEX: String(index),
    CF_INSTANCE_PORT: String(port),
    CF_INSTANCE_IP: '127.0.0.1',
    CF_INSTANCE_ADDR: `127.0.0.1:${port}`,
    CF_INSTANCE_GUID: vcapApplication.instance_id,
    MEMORY_LIMIT: `${process.memoryMb}m`,
    VCAP_APPLICATION: JSON.stringify(vcapApplication),
    VCAP_SERVICES: JSON.stringify(vcapServicesFor(app.services, options.bindings)),
  };
}
