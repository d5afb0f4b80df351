// Apart from pool.ts so the HTTP error mapping can recognize an outage without loading pg.

/**
 * SQLSTATE classes and codes that mean the server is not there for us right now: 08
 * (connection exception), 53300 (too many connections), 57P01-57P03 (shut down, starting).
 * 57014 (a statement cancelled by statement_timeout) is an overload too: retrying later helps.
 */
const UNAVAILABLE_CODES = new Set(['53300', '57P01', '57P02', '57P03', '57014']);
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Cannot use a pool after calling end',
];

/** True for the errors node-postgres raises while its server is unreachable or overloaded. */
export function isPostgresUnavailable(error: unknown): boolean {
  // Not instanceof Error: a socket error comes from Node's own realm, which under a test
  // runner's sandbox is another realm's Error.
  if (typeof error !== 'object' || error === null || typeof (error as Error).message !== 'string') return false;
  const { code, syscall } = error as { code?: unknown; syscall?: unknown };
  return (
    // A unix socket that is not there: the server is stopped (the TCP cases are ECONNREFUSED and
    // the like, which the Redis check knows already).
    (code === 'ENOENT' && syscall === 'connect') ||
    (typeof code === 'string' && (code.startsWith('08') || UNAVAILABLE_CODES.has(code))) ||
    UNAVAILABLE_MESSAGES.some((message) => (error as Error).message.includes(message))
  );
}
