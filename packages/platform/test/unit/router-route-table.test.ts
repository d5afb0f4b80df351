import { RouteTable } from '../../src/local/router/route-table';

const table = new RouteTable(
  [
    { host: 'chat.localhost', path: '', app: 'ui' },
    { host: 'chat.localhost', path: '/api/users', app: 'users' },
    { host: 'chat.localhost', path: '/api', app: 'api' },
    { host: 'users.apps.internal', path: '', app: 'users', internal: true },
  ],
  'chat.localhost',
);

describe('RouteTable', () => {
  test('when paths share a prefix, then the longest whole-segment prefix wins', () => {
    expect(table.match('chat.localhost', '/api/users/1?x=1')?.app).toBe('users');
    expect(table.match('chat.localhost', '/api/usersx')?.app).toBe('api');
    expect(table.match('chat.localhost', '/apix')?.app).toBe('ui');
  });

  test('when the host is local, a port or another case, then it means the default host', () => {
    expect(table.match('localhost:8080', '/api')?.app).toBe('api');
    expect(table.match('127.0.0.1', '/')?.app).toBe('ui');
    expect(table.match(undefined, '/')?.app).toBe('ui');
    expect(table.match('CHAT.localhost:80', '/api/users')?.app).toBe('users');
  });

  test('when a host has no route, or is internal, then the public listener finds none', () => {
    expect(table.match('other.localhost', '/')).toBeUndefined();
    expect(table.match('users.apps.internal', '/')).toBeUndefined();
  });

  test('when a request came on an internal listener, then only that host is looked up', () => {
    expect(table.match('anything', '/x', 'users.apps.internal')?.app).toBe('users');
    expect(table.match('chat.localhost', '/', 'gone.apps.internal')).toBeUndefined();
  });
});
