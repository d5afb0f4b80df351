import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROUTER_ERRORS, routerError } from '../../src/local/router/errors';

const DOC = join(__dirname, '../../src/local/router/ROUTER-ERRORS.md');

/** The table's rows as written, and as the catalogue says they should be (in its order). */
function rows(): { documented: string[]; catalogued: string[] } {
  const documented = readFileSync(DOC, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('| `'));
  const catalogued = Object.entries(ROUTER_ERRORS).map(([code, { status, when }]) => `| \`${code}\` | ${status} | ${when} |`);
  return { documented, catalogued };
}

describe('ROUTER-ERRORS.md', () => {
  test('when the catalogue has an error, then the doc has its row with the same status and when, in the same order', () => {
    const { documented, catalogued } = rows();
    // The failure shows the rows to write.
    expect(documented).toEqual(catalogued);
  });

  test('when the doc is read, then it lists every router code at least (the scan itself works)', () => {
    expect(rows().documented.length).toBe(Object.keys(ROUTER_ERRORS).length);
    expect(rows().documented.join('\n')).toContain('| `unknown_route` | 404 |');
  });
});

describe('the catalogue', () => {
  test('when a message takes arguments, then they are in it', () => {
    expect(routerError('unknown_route', 'chat.localhost/nope')).toEqual({
      status: 404,
      message: "Requested route ('chat.localhost/nope') does not exist.",
    });
    expect(routerError('backend_unavailable', 'api', 'ECONNRESET').message).toBe('The app api did not answer (ECONNRESET).');
    expect(routerError('backend_unavailable', 'api').message).toBe('No instance of the app api answered.');
    expect(routerError('payload_too_large', 10).message).toContain('limit of 10 bytes');
  });

  test('when a code is an error, then its status is a 4xx or 5xx', () => {
    for (const { status } of Object.values(ROUTER_ERRORS)) expect(status >= 400 && status < 600).toBe(true);
  });
});
