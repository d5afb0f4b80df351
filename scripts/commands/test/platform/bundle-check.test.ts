/**
 * The bundle consistency check (node scripts/lib/bundle-check.js, in the lint environment):
 * passes on this repository, and fails with one line naming both files for each kind of drift.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../../../lib/testing/throwaway-repo';

const CHECK = path.join(ROOT, 'scripts', 'commands', 'bundle-check.js');
const DEPLOY_FILES = ['manifest.yml', 'Procfile', 'heroku', 'heroku.json', '.env.example', 'packages/platform/services.yml'];

/** A copy of what the check reads: the deploy files and each app's package.json, openapi.yaml and src/. */
function copyBundle(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-check-'));
  const copy = (rel: string) => {
    if (!fs.existsSync(path.join(ROOT, rel))) return;
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.cpSync(path.join(ROOT, rel), path.join(dir, rel), { recursive: true });
  };
  DEPLOY_FILES.forEach(copy);
  for (const app of fs.readdirSync(path.join(ROOT, 'apps')))
    ['package.json', 'openapi.yaml', 'src'].forEach((name) => copy(`apps/${app}/${name}`));
  return dir;
}

function check(root: string): { status: number | null; lines: string[] } {
  const result = spawnSync(process.execPath, [CHECK, '--root', root], { encoding: 'utf8' });
  return { status: result.status, lines: result.stderr.split('\n').filter(Boolean) };
}

const edit = (root: string, file: string, change: (text: string) => string) =>
  fs.writeFileSync(path.join(root, file), change(fs.readFileSync(path.join(root, file), 'utf8')));
const drop = (line: string) => (text: string) => {
  if (!text.includes(line)) throw new Error(`the fixture changed: no ${JSON.stringify(line)}`);
  return text.replace(line, '');
};

let root: string;
beforeEach(() => {
  root = copyBundle();
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe('bundle-check', () => {
  test('when run on this repository, then it passes', () => {
    const result = spawnSync(process.execPath, [CHECK], { encoding: 'utf8' });
    expect([result.status, result.stderr, result.stdout]).toEqual([0, '', 'bundle-check: the deploy files agree\n']);
  });

  test.each<[string, (root: string) => void, string]>([
    [
      'an app folder has no manifest entry',
      (r) => {
        fs.mkdirSync(path.join(r, 'apps', 'extra'));
        fs.writeFileSync(path.join(r, 'apps', 'extra', 'package.json'), '{}');
      },
      'apps/extra/ is an app folder, but manifest.yml has no app extra',
    ],
    [
      'a manifest app has no folder',
      (r) => fs.rmSync(path.join(r, 'apps', 'push'), { recursive: true }),
      'manifest.yml has app push, but apps/push/ is not an app folder (no package.json)',
    ],
    [
      'the Procfile misses a process',
      (r) => edit(r, 'Procfile', drop('worker: node -r ./packages/platform/dist/cli/procfile-env.js apps/messages/dist/worker.js\n')),
      'manifest.yml runs apps/messages/dist/worker.js (app messages, process worker), but Procfile has no line running it',
    ],
    [
      'the Procfile runs an app the manifest does not',
      (r) => edit(r, 'Procfile', (t) => `${t}extra: node apps/extra/dist/main.js\n`),
      'Procfile line extra runs apps/extra/dist/main.js, but manifest.yml has no process running it',
    ],
    [
      'a heroku Procfile is missing',
      (r) => fs.rmSync(path.join(r, 'heroku', 'push.Procfile')),
      'manifest.yml has app push, but heroku/push.Procfile does not exist',
    ],
    [
      'a heroku Procfile misses a process',
      (r) => edit(r, 'heroku/messages.Procfile', drop('worker: exec node apps/messages/dist/worker.js\n')),
      'manifest.yml gives app messages process worker, but heroku/messages.Procfile has no worker line',
    ],
    [
      'heroku.json misses an app',
      (r) => edit(r, 'heroku.json', drop('"push": "chat-push-staging",')),
      "manifest.yml has app push, but heroku.json's staging names no Heroku app for it",
    ],
    [
      '.env.example misses a route',
      (r) => edit(r, '.env.example', drop(',/api/events=push')),
      "manifest.yml routes /api/events to push, but .env.example's ROUTES does not",
    ],
    [
      '.env.example routes a path to the wrong process type',
      (r) => edit(r, '.env.example', (t) => t.replace('/api/events=push', '/api/events=messages')),
      ".env.example's ROUTES sends /api/events to process type messages, but that Procfile line does not run push, the app manifest.yml routes it to",
    ],
    [
      '.env.example routes a path nobody is routed',
      (r) => edit(r, '.env.example', (t) => t.replace('/api/events=push', '/api/events=push,/api/extra=push')),
      ".env.example's ROUTES routes /api/extra, but manifest.yml routes no app there",
    ],
    [
      'a manifest service is not in the local marketplace',
      (r) => edit(r, 'packages/platform/services.yml', drop('messages-db: { type: redis }\n')),
      'manifest.yml binds messages-db to messages, but packages/platform/services.yml (the local marketplace) has no messages-db',
    ],
    [
      'an app looks up a binding the manifest does not bind it',
      (r) => edit(r, 'manifest.yml', drop('      - messages-db\n')),
      'apps/messages/src/main.ts, apps/messages/src/worker.ts look up binding messages-db, but manifest.yml does not bind it to messages',
    ],
    [
      'an OpenAPI path lies under none of its routes',
      (r) =>
        edit(r, 'apps/push/openapi.yaml', (t) =>
          t.replace('paths:\n', 'paths:\n  /api/pushes:\n    get: { responses: { "200": { description: ok } } }\n'),
        ),
      'apps/push/openapi.yaml has path /api/pushes, but manifest.yml routes no prefix of it to push (routes: /api/events)',
    ],
    [
      'a route prefix is served by no path',
      (r) => {
        edit(r, 'manifest.yml', (t) =>
          t.replace(
            '      - route: ((host)).((domain))/api/events\n',
            '      - route: ((host)).((domain))/api/events\n      - route: ((host)).((domain))/api/extra\n',
          ),
        );
        edit(r, '.env.example', (t) => t.replace('/api/events=push', '/api/events=push,/api/extra=push'));
      },
      'manifest.yml routes /api/extra to push, but apps/push/openapi.yaml has no path under it',
    ],
  ])('when %s, then one line naming both files', (_kind, drift, line) => {
    drift(root);
    expect(check(root)).toEqual({ status: 1, lines: [`bundle-check: ${line}`] });
  });
});
