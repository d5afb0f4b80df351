/**
 * scripts/new-app notes --postgres and scripts/remove-app notes in a throwaway copy of the
 * project: the app's own tests pass against a PostgreSQL its test run starts (never the
 * machine's), the deploy files agree, every target creates and binds its database and runs its
 * migrations before traffic (the dry runs), and removing it leaves the tree as it was.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from '@bundle/kit/testing';
import { gitIn, makeProjectCopy, removeRepo, sh, type Ran } from '../../../lib/testing/throwaway-repo';

let dir: string;
beforeAll(() => {
  dir = makeProjectCopy();
  // As root the space's PostgreSQL runs as the postgres user, which must reach .local/ in the copy.
  fs.chmodSync(dir, 0o755);
});
afterAll(() => removeRepo(dir));

/** The copy's own commands; the child jest starts its own Redis and PostgreSQL (this run's are not passed on). */
const run = (command: string, ...args: string[]): Ran =>
  sh(command, args, dir, { FORCE_COLOR: '0', REDIS_TEST_URL: '', POSTGRES_TEST_DIR: '' });
const script = (name: string, ...args: string[]): Ran => run(path.join(dir, 'scripts', name), ...args);
const lines = (text: string) => text.split('\n').filter(Boolean);

describe('scripts/new-app notes --postgres, then scripts/remove-app notes', () => {
  test('when --postgres comes with --redis or --worker, then the usage line and one line why, and nothing changes', () => {
    const redis = script('new-app', 'notes', '--postgres', '--redis', 'notes-cache');
    const worker = script('new-app', 'notes', '--postgres', '--worker');
    expect([redis.status, lines(redis.stderr), worker.status, lines(worker.stderr)[1]]).toEqual([
      2,
      [expect.stringMatching(/^usage: scripts\/new-app /), 'new-app: --postgres and --redis: pick one'],
      2,
      'new-app: --postgres makes an app with a route and no worker (--worker and --no-route are for Redis apps)',
    ]);
    expect(gitIn(dir, 'status', '--porcelain')).toBe('');
  });

  test('when made, then the deploy files name its database everywhere and agree', () => {
    const made = script('new-app', 'notes', '--postgres');
    expect([made.status, made.stderr]).toEqual([0, '']);
    const read = (file: string) => fs.readFileSync(path.join(dir, file), 'utf8');
    expect({
      migration: fs.readdirSync(path.join(dir, 'apps', 'notes', 'migrations')),
      release: fs.existsSync(path.join(dir, 'apps', 'notes', 'src', 'release.ts')),
      marketplace: read('packages/platform/services.yml').includes('\nnotes-db: { type: postgres }\n'),
      env: read('.env.example').includes('\nNOTES_DB_URL=postgresql://postgres@127.0.0.1:5432/notes\n'),
      vars: ['staging', 'production'].map((space) => /^postgres_offering: \S+\npostgres_plan: \S+$/m.test(read(`vars/${space}.yml`))),
      heroku: JSON.parse(read('heroku.json')).postgres_plan,
      procfile: read('heroku/notes.Procfile').includes('release: node scripts/targets/heroku/release-task.js notes'),
    }).toEqual({
      migration: ['20260101000000000_create-items.sql'],
      release: true,
      marketplace: true,
      env: true,
      vars: [true, true],
      heroku: 'heroku-postgresql:essential-0',
      procfile: true,
    });
    const check = run(process.execPath, path.join(dir, 'scripts', 'commands', 'bundle-check.js'));
    expect([check.status, check.stdout.trim()]).toEqual([0, 'bundle-check: the deploy files agree']);
  });

  test('when its tests run, then they pass against a PostgreSQL of the run’s own', () => {
    const tests = run(path.join(dir, 'node_modules', '.bin', 'jest'), '--selectProjects', 'unit', 'service', '--', 'apps/notes');
    expect([tests.status, tests.stderr.match(/^Tests: .*$/m)?.[0], tests.status === 0 ? '' : tests.stderr.slice(-3000)]).toEqual([
      0,
      expect.stringMatching(/^Tests: +\d+ passed, \d+ total$/),
      '',
    ]);
  }, 600_000);

  test('when provisioned and pushed (dry runs), then cf and Heroku create its database and the release task runs before traffic', () => {
    const cf = lines(script('provision', 'staging', '--target', 'cf', '--dry-run').stdout);
    const heroku = lines(script('provision', 'staging', '--target', 'heroku', '--dry-run').stdout);
    const push = lines(script('push', 'staging', '--target', 'cf', '--dry-run').stdout).filter((line) => /\bnotes\b/.test(line));
    expect(cf).toContain('cf create-service postgresql small notes-db --wait');
    expect(heroku).toContain(
      'heroku addons:create heroku-postgresql:essential-0 -a chat-notes-staging --name chat-notes-db-staging --as DATABASE --wait',
    );
    // The migration runs as a task on the new droplet; only then is that droplet set and restarted.
    const task = push.findIndex((line) => line.includes('"command":"node apps/notes/dist/release.js"'));
    const setDroplet = push.findIndex((line) => line.startsWith('cf set-droplet notes '));
    expect([task >= 0, setDroplet > task]).toEqual([true, true]);
  });

  test('when the space runs it, then a note is its writer’s alone and survives a push, an instance killed mid-request and a stop and start', async () => {
    expect(script('build').status).toBe(0);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const start = async () => {
      const child = spawn(path.join(dir, 'scripts', 'start'), ['dev'], {
        cwd: dir,
        env: { ...process.env, FORCE_COLOR: '0', ROUTER_PORT: String(port), POSTGRES_URL: '', REDIS_URL: '' },
        detached: true,
      });
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
      const exited = new Promise((resolve) => child.once('exit', resolve));
      for (let attempt = 0; !/^start: space dev is up in /m.test(output); attempt += 1) {
        if (attempt > 600 || child.exitCode !== null) throw new Error(`the space did not come up:\n${output.slice(-3000)}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      return { output: () => output, exited };
    };
    const signUp = async (nickname: string): Promise<string> => {
      const password = 'a-long-enough-password-42';
      const json = { 'content-type': 'application/json' };
      expect(
        (await fetch(`${base}/api/users`, { method: 'POST', headers: json, body: JSON.stringify({ nickname, password }) })).status,
      ).toBe(201);
      const login = await fetch(`${base}/api/tokens`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${nickname}:${password}`).toString('base64')}` },
      });
      return `Bearer ${((await login.json()) as { access_token: string }).access_token}`;
    };
    const list = async (auth: string) =>
      (await (await fetch(`${base}/api/notes`, { headers: { authorization: auth } })).json()) as { items: unknown[] };

    const first = await start();
    let note: unknown;
    let writer = '';
    let other = '';
    try {
      // Its release task ran (the table exists) before its instances took traffic.
      expect(first.output()).toMatch(/^ {2}postgres +private postgres 127\.0\.0\.1:\d+ \(data in .*postgres, password in .*password\)$/m);
      writer = await signUp(`pgwriter${process.pid}`);
      other = await signUp(`pgother${process.pid}`);
      const posted = await fetch(`${base}/api/notes`, {
        method: 'POST',
        headers: { authorization: writer, 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'kept in PostgreSQL' }),
      });
      note = await posted.json();
      expect([posted.status, await list(writer), await list(other)]).toEqual([201, { items: [note] }, { items: [] }]);
      const pushed = script('push', 'dev', '--target', 'local');
      expect([pushed.status, pushed.status === 0 ? '' : pushed.stderr]).toEqual([0, '']);
      expect(await list(writer)).toEqual({ items: [note] });

      // An instance killed (SIGKILL) with posts in flight: each post either committed (201, and
      // listed once it is back) or failed; no note is half there.
      const status = JSON.parse(script('status', 'dev', '--json').stdout) as {
        apps: Array<{ name: string; processes: Array<{ details: Array<{ pid?: number }> }> }>;
      };
      const pid = status.apps.find((app) => app.name === 'notes')?.processes[0]?.details[0]?.pid;
      const posts = Array.from({ length: 20 }, (_, index) =>
        fetch(`${base}/api/notes`, {
          method: 'POST',
          headers: { authorization: writer, 'content-type': 'application/json' },
          body: JSON.stringify({ text: `burst ${index}` }),
        }).then(
          async (response) => ({
            status: response.status,
            body: response.status === 201 ? ((await response.json()) as unknown) : undefined,
          }),
          () => ({ status: 0, body: undefined }),
        ),
      );
      process.kill(pid as number, 'SIGKILL');
      const answers = await Promise.all(posts);
      let after: { items: Array<{ text: string; author: { id: string } }> } | undefined;
      for (let attempt = 0; attempt < 300 && after === undefined; attempt += 1) {
        const response = await fetch(`${base}/api/notes?limit=200`, { headers: { authorization: writer } });
        if (response.status === 200) after = (await response.json()) as typeof after;
        else await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const committed = answers.filter((answer) => answer.status === 201).map((answer) => answer.body);
      expect(after?.items).toEqual(expect.arrayContaining([note, ...committed]));
      expect(after?.items.filter((item) => !/^(burst \d+|kept in PostgreSQL)$/.test(item.text) || !item.author.id)).toEqual([]);
    } finally {
      script('stop', 'dev');
      await first.exited;
    }
    expect(fs.statSync(path.join(dir, '.local', 'dev', 'postgres', 'password')).mode & 0o777).toBe(0o600);

    const second = await start();
    try {
      // A new sign-in: the tokens' keys live in the space's Redis, which kept them too.
      expect((await list(writer)).items).toContainEqual(note);
    } finally {
      script('stop', 'dev');
      await second.exited;
    }
  }, 600_000);

  test('when removed, then the tree is as it was', () => {
    const removed = script('remove-app', 'notes');
    expect([removed.status, removed.stderr]).toEqual([0, '']);
    expect(gitIn(dir, 'status', '--porcelain')).toBe('');
  });
});
