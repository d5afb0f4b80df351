/**
 * Every answer the router gives for an app (gorouter's x_cf_routererror): code, status,
 * message and when it is given. The answers (answers.ts) are made only from here, and
 * ROUTER-ERRORS.md lists the same rows; test/unit/router-errors.test.ts fails when the two
 * disagree. A new error is a new entry here and a row there.
 */
interface RouterErrorEntry<Args extends unknown[]> {
  status: number;
  /** When the router gives it, as ROUTER-ERRORS.md says it. */
  when: string;
  /** The message of the JSON body; its arguments are what the code's messages need. */
  message: (...args: Args) => string;
}

const entry = <Args extends unknown[]>(status: number, when: string, message: (...args: Args) => string): RouterErrorEntry<Args> => ({
  status,
  when,
  message,
});

/** Why a request is a 400, each with its own message. */
const BAD_REQUEST = {
  target: 'The request target must be a path (or an absolute http URL); "*" and host:port are not routed.',
  hosts: 'The request has more than one Host header.',
  connect: 'CONNECT is not routed: the request target must be a path.',
  unparsed: 'The request could not be parsed.',
} as const;

export const ROUTER_ERRORS = {
  bad_request: entry(
    400,
    'Node could not parse the request (a malformed chunk included), it has two `Host` headers (RFC 9112 3.2), its target is `*` or `host:port`, or it is a CONNECT',
    (why: keyof typeof BAD_REQUEST) => BAD_REQUEST[why],
  ),
  unknown_route: entry(
    404,
    'no route has the host and a prefix of the path; also an internal route asked on the public listener',
    (route: string) => `Requested route ('${route}') does not exist.`,
  ),
  request_timeout: entry(
    408,
    'the headers took longer than `ROUTER_HEADERS_TIMEOUT_MS`, or the whole request longer than `ROUTER_REQUEST_TIMEOUT_MS`; the connection is closed',
    () => 'The request did not arrive in time.',
  ),
  payload_too_large: entry(
    413,
    'the body, declared or counted as it comes, is over `ROUTER_MAX_BODY_BYTES`; before any app sees it',
    (limit: number) => `The request body is over the router's limit of ${limit} bytes.`,
  ),
  expectation_failed: entry(417, 'an `Expect` other than `100-continue`', () => 'Only "Expect: 100-continue" is understood.'),
  headers_too_large: entry(
    431,
    'the request line and headers are over `ROUTER_MAX_HEADER_BYTES`',
    (limit: number) => `The request headers are over the router's limit of ${limit} bytes.`,
  ),
  backend_unavailable: entry(
    502,
    'the instance refused or broke the connection and no other could take the request (retries: retry.ts), or every instance tried failed',
    (app: string, cause?: string) =>
      cause === undefined ? `No instance of the app ${app} answered.` : `The app ${app} did not answer (${cause}).`,
  ),
  no_available_endpoints: entry(
    503,
    'the app has no instance ready and in rotation',
    (app: string) => `Requested route has no available endpoints (app ${app}).`,
  ),
  connection_limit_reached: entry(
    503,
    'every instance left holds `ROUTER_BACKEND_MAX_CONNECTIONS` connections: an answer at once, never a wait',
    (route: string) => `Requested route ('${route}') has reached the connection limit.`,
  ),
} as const;

export type RouterErrorCode = keyof typeof ROUTER_ERRORS;
/** The arguments the message of `code` takes. */
export type MessageArgs<C extends RouterErrorCode> = Parameters<(typeof ROUTER_ERRORS)[C]['message']>;

/** Status and message of an error, its arguments checked against the code's. */
export function routerError<C extends RouterErrorCode>(code: C, ...args: MessageArgs<C>): { status: number; message: string } {
  const { status, message } = ROUTER_ERRORS[code] as RouterErrorEntry<MessageArgs<C>>;
  return { status, message: message(...args) };
}
