import { request } from 'node:http';
import { connect } from 'node:net';
import type { HealthCheck } from '../manifest/types';

/**
 * One health check of an instance, as Diego runs it: http is a GET that must answer 2xx
 * within the invocation timeout, port a TCP connect, process (and none) only that the
 * process runs, which the caller knows already.
 */
export async function probe(port: number, spec: HealthCheck): Promise<boolean> {
  return (await check(port, spec)).ok;
}

/** A check's outcome; a failed one says why in a few words (for `scripts/status`). */
export interface CheckResult {
  ok: boolean;
  reason?: string;
}

/** The most a failed answer's body is read for its reason. */
const REASON_BODY_BYTES = 4096;

export function check(port: number, spec: HealthCheck): Promise<CheckResult> {
  const timeoutMs = spec.invocationTimeout * 1000;
  if (spec.type === 'http') return probeHttp(port, spec.endpoint, timeoutMs);
  if (spec.type === 'port')
    return probePort(port, timeoutMs).then((ok) => (ok ? { ok } : { ok, reason: 'port not accepting connections' }));
  return Promise.resolve({ ok: true });
}

function probeHttp(port: number, path: string, timeoutMs: number): Promise<CheckResult> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'GET',
        timeout: timeoutMs,
        agent: false,
        headers: { 'user-agent': 'local-platform-health-check' },
      },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) {
          res.resume();
          return resolve({ ok: true });
        }
        // Only a failed answer is read, and only its start: the kit's /ready names the failed services.
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (body.length < REASON_BODY_BYTES) body += chunk;
        });
        res.on('end', () => resolve({ ok: false, reason: failureReason(status, body) }));
        res.on('error', () => resolve({ ok: false, reason: `HTTP ${status}` }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    req.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ ok: false, reason: error.code === 'ECONNREFUSED' ? 'not listening' : error.message }),
    );
    req.end();
  });
}

/**
 * What a failed check's answer says, in a line: the kit's /ready body
 * (`{status: "unavailable", failed: ["users-db"], checks: {"users-db": "error: ..."}}`)
 * gives "users-db: error: ..."; `{status: "draining"}` gives "HTTP 503 (draining)";
 * anything else its HTTP status.
 */
export function failureReason(status: number, body: string): string {
  try {
    const parsed = JSON.parse(body) as { status?: unknown; failed?: unknown; checks?: Record<string, unknown> };
    if (Array.isArray(parsed.failed) && parsed.failed.length > 0) {
      return parsed.failed
        .map(
          (name) =>
            `${String(name)}: ${typeof parsed.checks?.[String(name)] === 'string' ? String(parsed.checks[String(name)]) : 'failed'}`,
        )
        .join('; ');
    }
    if (typeof parsed.status === 'string') return `HTTP ${status} (${parsed.status})`;
  } catch {
    // not JSON: the status says enough
  }
  return `HTTP ${status}`;
}

function probePort(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, timeout: timeoutMs });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => socket.destroy(new Error('timeout')));
    socket.once('error', () => resolve(false));
  });
}
