import { once } from 'node:events';
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { PrivatePostgres } from '../../src/local/postgres';

jest.setTimeout(120_000);

const alive = (pid: number | undefined): boolean => {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** A client through the binding's own credentials: TCP on 127.0.0.1, with the password. */
async function connect(credentials: Record<string, unknown>): Promise<Client> {
  const client = new Client({ connectionString: String(credentials.uri) });
  await client.connect();
  return client;
}

describe('the PostgreSQL of a space without POSTGRES_URL', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'platform-postgres-'));
    // As root the server runs as the postgres user, which must reach the space's folder.
    chmodSync(root, 0o755);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('when started, killed, stopped and started again, then it comes back by itself, keeps its rows and its password, and asks for it', async () => {
    const dir = join(root, 'postgres');
    const first = await PrivatePostgres.start(dir, ['notes-db']);
    const credentials = first.credentials('notes-db');
    try {
      expect(credentials).toEqual({
        uri: expect.stringMatching(/^postgresql:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/notes_db$/),
        hostname: '127.0.0.1',
        port: first.port,
        name: 'notes_db',
        username: 'postgres',
        password: expect.stringMatching(/^[\w-]{32}$/),
      });
      expect(statSync(join(dir, 'password')).mode & 0o777).toBe(0o600);
      const writer = await connect(credentials);
      await writer.query('CREATE TABLE notes (text text)');
      await writer.query("INSERT INTO notes VALUES ('kept')");
      await writer.end();
      const wrong = new Client({ host: '127.0.0.1', port: first.port, user: 'postgres', password: 'not-it', database: 'notes_db' });
      await expect(wrong.connect()).rejects.toThrow(/password authentication failed/);

      // A crash (SIGKILL) is restarted on the same port and data, and says so.
      const killed = first.pid;
      const restarted = once(first, 'restarted');
      process.kill(killed as number, 'SIGKILL');
      await restarted;
      const reader = await connect(credentials);
      const rows = (await reader.query('SELECT text FROM notes')).rows;
      await reader.end();
      expect({ rows, restarts: first.status().restarts, state: first.status().state, newPid: first.pid !== killed }).toEqual({
        rows: [{ text: 'kept' }],
        restarts: 1,
        state: 'running',
        newPid: true,
      });
    } finally {
      await first.stop();
    }
    expect(alive(first.pid)).toBe(false);

    const second = await PrivatePostgres.start(dir, ['notes-db']);
    try {
      expect(second.credentials('notes-db').password).toBe(credentials.password);
      const reader = await connect(second.credentials('notes-db'));
      const rows = (await reader.query('SELECT text FROM notes')).rows;
      await reader.end();
      expect(rows).toEqual([{ text: 'kept' }]);
    } finally {
      await second.stop();
    }
  });
});
