/**
 * heroku.json "generation": "fir" (docs/heroku.md, "Heroku's Fir generation"), in a copy of
 * the project against a fake `heroku`: provision puts the apps in the Fir space with no
 * classic buildpack or PROCFILE and keeps the gateway a Cedar app outside their pipeline;
 * push builds each app from a source of its own (its Procfile at the root, a project.toml
 * naming the CNBs) and pushes the gateway's folder to each space.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gitIn, makeProjectCopy, removeRepo, sh } from '../../../../lib/testing/throwaway-repo';
import { fake, writes } from '../../../../lib/testing/fake-paas';

let dir: string;
beforeAll(() => {
  dir = makeProjectCopy();
  const file = path.join(dir, 'heroku.json');
  const config = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  fs.writeFileSync(file, `${JSON.stringify({ ...config, generation: 'fir', space: 'chat-fir' }, null, 2)}\n`);
  gitIn(dir, 'commit', '-q', '-am', 'generation fir');
}, 120_000);
afterAll(() => removeRepo(dir));

const script = (name: string, args: string[], env: NodeJS.ProcessEnv = {}) => sh(path.join(dir, 'scripts', name), args, dir, env);
const lines = (text: string) => text.split('\n').filter(Boolean);
const APPS = ['users', 'tokens', 'messages', 'push', 'ui'];

describe('heroku.json generation fir', () => {
  test('push --dry-run: staging builds each app from its own source, production promotes; the gateway folder goes to each space', () => {
    const staging = script('push', ['staging', '--target', 'heroku', '--dry-run']);
    expect([staging.status, lines(staging.stdout).filter((line) => !line.startsWith('#'))]).toEqual([
      0,
      [
        'heroku auth:whoami',
        'scripts/build',
        ...APPS.map((app) => `node scripts/targets/heroku/fir-build.js ${app} chat-${app}-staging`),
        'git subtree push --prefix heroku/gateway https://git.heroku.com/chat-gateway-staging.git HEAD:main',
      ],
    ]);
    const production = script('push', ['production', '--target', 'heroku', '--dry-run']);
    expect([production.status, lines(production.stdout).filter((line) => !line.startsWith('#'))]).toEqual([
      0,
      [
        'heroku auth:whoami',
        ...APPS.map((app) => `heroku pipelines:promote -a chat-${app}-staging --to chat-${app}-production`),
        'git subtree push --prefix heroku/gateway https://git.heroku.com/chat-gateway-production.git HEAD:main',
      ],
    ]);
  });

  test('provision: the apps in the Fir space, no PROCFILE and no classic buildpack; the gateway a Cedar app outside the pipeline', () => {
    const heroku = fake();
    const result = script('provision', ['staging', '--target', 'heroku'], heroku.env);

    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    const made = writes(heroku.calls()).map((call) => call.slice(1).join(' '));
    expect(made.filter((call) => call.startsWith('apps:create'))).toEqual([
      ...APPS.map((app) => `apps:create chat-${app}-staging --no-remote --space chat-fir`),
      'apps:create chat-gateway-staging --no-remote',
    ]);
    const state = heroku.state();
    expect(state.pipelines.chat).toEqual(APPS.map((app) => `chat-${app}-staging`));
    for (const app of APPS) {
      expect(state.apps[`chat-${app}-staging`]?.buildpacks).toEqual([]);
      expect(state.apps[`chat-${app}-staging`]?.config).not.toHaveProperty('PROCFILE');
    }
    expect(state.apps['chat-gateway-staging']?.buildpacks).toEqual(['heroku-community/nginx']);
  });

  test("fir-build.js: the source is the committed tree, its root Procfile the app's own, with a project.toml of heroku/nodejs then heroku/procfile", () => {
    const heroku = fake();
    sh(path.join(heroku.env.PATH?.split(path.delimiter)[0] ?? '', 'heroku'), ['apps:create', 'chat-users-staging'], dir, heroku.env);
    const result = sh(process.execPath, ['scripts/targets/heroku/fir-build.js', 'users', 'chat-users-staging'], dir, heroku.env);

    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    const call = heroku.calls().find((args) => args[1] === 'builds:create');
    expect(call?.slice(0, 6)).toEqual([
      'heroku',
      'builds:create',
      '-a',
      'chat-users-staging',
      '--source-tar',
      expect.stringMatching(/source\.tar\.gz$/),
    ]);
    expect(call?.slice(6)).toEqual(['--version', gitIn(dir, 'rev-parse', 'HEAD').trim()]);
    // The archive went with the build: nothing of it is left in the temporary folder.
    expect(fs.existsSync(call?.[5] ?? '')).toBe(false);

    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'fir-source-test-'));
    try {
      execFileSync('tar', ['-xzf', path.join(heroku.env.FAKE_STATE as string, 'chat-users-staging.tar.gz'), '-C', out]);
      expect(fs.readFileSync(path.join(out, 'Procfile'), 'utf8')).toBe(fs.readFileSync(path.join(dir, 'heroku', 'users.Procfile'), 'utf8'));
      expect(
        fs
          .readFileSync(path.join(out, 'project.toml'), 'utf8')
          .split('\n')
          .filter((line) => line.startsWith('uri')),
      ).toEqual(['uri = "heroku/nodejs"', 'uri = "heroku/procfile"']);
      for (const file of ['package.json', 'package-lock.json', 'apps/users/package.json', 'packages/kit/package.json'])
        expect({ file, there: fs.existsSync(path.join(out, file)) }).toEqual({ file, there: true });
      expect(fs.existsSync(path.join(out, '.git'))).toBe(false);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  test('fir-build.js: a name that is no app, or a missing argument, is the usage line and one line, exit 2', () => {
    const bad = sh(process.execPath, ['scripts/targets/heroku/fir-build.js', '../users', 'x'], dir);
    expect([bad.status, lines(bad.stderr)]).toEqual([
      2,
      ['usage: node scripts/targets/heroku/fir-build.js <app> <heroku-app>', 'fir-build: no heroku/../users.Procfile for app ../users'],
    ]);
    expect(sh(process.execPath, ['scripts/targets/heroku/fir-build.js', 'users'], dir).status).toBe(2);
  });
});
