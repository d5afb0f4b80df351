import { request } from 'node:http';
import { connect } from 'node:net';
import type { HealthCheck } from '../manifest/types';

/**
 * One health check of an instance, as Diego runs it: http is a GET that must answer 2xx
 * within the invocation timeout, port a TCP connect, process (and none) only that the
 * process runs, which the caller knows already.
 */
export function probe(port: number, check: HealthCheck): Promise<boolean> {
  const timeoutMs = check.invocationTimeout * 1000;
  if (check.type === 'http') return probeHttp(port, check.endpoint, timeoutMs);
  if (check.type === 'port') return probePort(port, timeoutMs);
  return Promise.resolve(true);
}

function probeHttp(port: number, path: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', timeout: timeoutMs, agent: false, headers: { 'user-agent': 'local-platform-health-check' } }, (res) => {
      res.resume();
      resolve(res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(false));
    req.end();
  });
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
