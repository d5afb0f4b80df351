import convict from 'convict';
import { PlatformError } from '../../manifest/errors';

/** How much of a client's time and memory the router gives one request. */
export interface RouterLimits {
  maxHeaderBytes: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  maxBodyBytes: number;
  maxBufferedBodyBytes: number;
  backendMaxConnections: number;
  backendIdleTimeoutMs: number;
}

convict.addFormat({
  name: 'router-positive-int',
  validate(value: unknown) {
    if (!Number.isInteger(value) || (value as number) < 1) throw new Error('expected a positive whole number');
  },
  // Only digits: parseInt would read "30s" as 30 and "1e6" as 1.
  coerce: (value: string) => (/^\d+$/.test(value) ? Number(value) : value),
});

/**
 * The router's bounds, each an environment variable of the supervisor (or of the Procfile
 * router). Cloud Foundry's gorouter allows 1 MiB of headers (`router.max_header_kb`),
 * waits 900 s for an app (`request_timeout_in_seconds`) and bounds no body; this router is
 * also the supervisor of every instance, and the apps behind it are Node servers that take
 * 16 KiB of headers and at most 1 MiB of body, so it holds a client to those.
 */
export const routerSchema: convict.Schema<RouterLimits> = {
  maxHeaderBytes: {
    doc: "Bytes of request line and headers a client may send; above it 431 headers_too_large (Node's and so the apps' own limit)",
    format: 'router-positive-int',
    default: 16_384,
    env: 'ROUTER_MAX_HEADER_BYTES',
  },
  headersTimeoutMs: {
    doc: 'Milliseconds a client has to send the request line and headers once it starts; past it 408 request_timeout',
    format: 'router-positive-int',
    default: 30_000,
    env: 'ROUTER_HEADERS_TIMEOUT_MS',
  },
  requestTimeoutMs: {
    doc: 'Milliseconds a client has to send a whole request, body included; past it 408 request_timeout and the connection is closed',
    format: 'router-positive-int',
    default: 60_000,
    env: 'ROUTER_REQUEST_TIMEOUT_MS',
  },
  maxBodyBytes: {
    doc: 'Bytes of request body a client may send (declared or chunked); above it 413 payload_too_large, before any app sees it',
    format: 'router-positive-int',
    default: 1_048_576,
    env: 'ROUTER_MAX_BODY_BYTES',
  },
  maxBufferedBodyBytes: {
    doc: 'Bytes of request bodies the router is reading whole at once, all requests together (a body up to 1 MiB is read whole so it can be sent to another instance if one refuses it); a body that would pass it streams through to the app as it comes, and is not sent again',
    format: 'router-positive-int',
    default: 33_554_432,
    env: 'ROUTER_MAX_BUFFERED_BODY_BYTES',
  },
  backendMaxConnections: {
    doc: "Connections the router keeps open to one instance at most, event streams included; past it a request goes to another instance, or gets 503 connection_limit_reached (gorouter's router.backends.max_conns is 500)",
    format: 'router-positive-int',
    default: 512,
    env: 'ROUTER_BACKEND_MAX_CONNECTIONS',
  },
  backendIdleTimeoutMs: {
    doc: "Milliseconds a kept-alive connection to an instance may stay idle before the router closes it; below the apps' own 95 s, so the router is always the side that closes an idle connection and never sends a request down one the app is closing",
    format: 'router-positive-int',
    default: 30_000,
    env: 'ROUTER_BACKEND_IDLE_TIMEOUT_MS',
  },
};

/** The limits from the environment (overrides beat it), checked: a bad value is a PlatformError naming the variable. */
export function routerLimits(env: NodeJS.ProcessEnv = process.env, overrides: Partial<RouterLimits> = {}): RouterLimits {
  let limits: RouterLimits;
  try {
    const config = convict(routerSchema, { env, args: [] });
    for (const [key, value] of Object.entries(overrides)) if (value !== undefined) config.set(key as keyof RouterLimits, value);
    config.validate({ allowed: 'strict' });
    limits = config.getProperties();
  } catch (error) {
    // convict says `maxBodyBytes: expected ...: value was "1mb"`; name the variable instead.
    const message = (error as Error).message.split('\n')[0] ?? '';
    const key = /^(\w+):/.exec(message)?.[1] ?? '';
    throw new PlatformError(message.replace(/^\w+:/, `${envName(key) ?? key}:`).replace(/: value was /, ', got '));
  }
  if (limits.headersTimeoutMs > limits.requestTimeoutMs)
    throw new PlatformError('ROUTER_HEADERS_TIMEOUT_MS: expected at most ROUTER_REQUEST_TIMEOUT_MS (the headers are part of the request)');
  return limits;
}

function envName(key: string): string | undefined {
  return (routerSchema[key as keyof RouterLimits] as { env?: string } | undefined)?.env;
}
