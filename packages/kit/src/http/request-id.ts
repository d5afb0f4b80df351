import { randomUUID } from 'node:crypto';

/** What Heroku's router accepts as an incoming request id: 20 to 200 of [A-Za-z0-9+/=-]. */
const SANE_REQUEST_ID = /^[A-Za-z0-9+/=-]{20,200}$/;

const HEADERS = ['x-request-id', 'x-vcap-request-id'] as const;

export function pickRequestId(headers: Record<string, string | string[] | undefined>): string {
  for (const name of HEADERS) {
    const value = headers[name];
    if (typeof value === 'string' && SANE_REQUEST_ID.test(value)) return value;
  }
  return randomUUID();
}
