import fs from 'node:fs';
import path from 'node:path';
import { gitIn, makeThrowawayRepo, removeRepo, ROOT, sh } from '../../../lib/testing/throwaway-repo';

const { packageFiles } = require('../../../lib/versions') as { packageFiles: (root: string) => string[] };

const PACKAGE_FILES = packageFiles(ROOT);
const FILES = [...PACKAGE_FILES, 'package-lock.json', 'scripts', 'manifest.yml', 'vars'];
const START = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version as string;

let repo: string;
beforeEach(() => {
  repo = makeThrowawayRepo(FILES);
});
afterEach(() => removeRepo(repo));

const bump = (...args: string[]) => sh(path.join(repo, 'scripts', 'bump'), args, repo);
const read = (file: string) => fs.readFileSync(path.join(repo, file), 'utf8');
const tags = () => gitIn(repo, 'tag', '--list');
const head = () => gitIn(repo, 'rev-parse', 'HEAD');

/** Every version the bundle records, by where it is recorded. */
function recordedVersions(): Record<string, string[]> {
  const found: Record<string, string[]> = {};
  for (const file of PACKAGE_FILES) {
    const json = JSON.parse(read(file));
    const pins = Object.entries({ ...json.dependencies, ...json.devDependencies })
      .filter(([name]) => name.startsWith('@bundle/'))
      .map(([, version]) => version as string);
    found[file] = [json.version, ...pins];
  }
  const lock = JSON.parse(read('package-lock.json'));
  found['package-lock.json'] = [lock.version, lock.packages[''].version];
  for (const file of PACKAGE_FILES.filter((f) => f !== 'package.json')) {
    const entry = lock.packages[path.dirname(file)];
    const pins = Object.entries(entry.dependencies ?? {})
      .filter(([name]) => name.startsWith('@bundle/'))
      .map(([, version]) => version as string);
    found[`package-lock.json ${path.dirname(file)}`] = [entry.version, ...pins];
  }
  // The manifest passes ((version)) from the vars files (the dev space's carries -dev).
  for (const file of fs.readdirSync(path.join(repo, 'vars'))) {
    found[`vars/${file}`] = [...read(`vars/${file}`).matchAll(/^version:\s*["']?([^"'\s]+?)(-dev)?["']?\s*$/gm)].map((m) => m[1] as string);
  }
  return found;
}

function everyVersionIs(version: string): Record<string, string[]> {
  return Object.fromEntries(Object.entries(recordedVersions()).map(([file, versions]) => [file, versions.map(() => version)]));
}

describe('scripts/bump', () => {
  test('when bumping a patch, then every recorded version moves, one commit "Release vX.Y.Z" and an annotated tag on it', () => {
    const [major, minor, patch] = START.split('.').map(Number) as [number, number, number];
    const next = `${major}.${minor}.${patch + 1}`;

    const result = bump('patch');

    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(recordedVersions()).toEqual(everyVersionIs(next));
    expect(recordedVersions()['vars/staging.yml']).toEqual([next]);
    expect(recordedVersions()['vars/production.yml']).toEqual([next]);
    expect(gitIn(repo, 'log', '-1', '--format=%s')).toBe(`Release v${next}`);
    expect(gitIn(repo, 'cat-file', '-t', `v${next}`)).toBe('tag');
    expect(gitIn(repo, 'rev-parse', `v${next}^{commit}`)).toBe(head());
    expect(gitIn(repo, 'status', '--porcelain')).toBe('');
  });

  test('when bumping minor then major, then each starts from the last release', () => {
    const [major, minor] = START.split('.').map(Number) as [number, number, number];

    expect(bump('minor').status).toBe(0);
    expect(bump('major').status).toBe(0);

    expect(recordedVersions()).toEqual(everyVersionIs(`${major + 1}.0.0`));
    expect(tags().split('\n').sort()).toEqual([`v${major + 1}.0.0`, `v${major}.${minor + 1}.0`].sort());
  });

  test('when the tree is dirty, then it refuses with one line and changes nothing', () => {
    fs.appendFileSync(path.join(repo, 'package.json'), '\n');
    const before = head();

    const result = bump('patch');

    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^bump: the working tree is not clean \(1 changed: package\.json\); commit or stash first\n$/);
    expect(head()).toBe(before);
    expect(tags()).toBe('');
    expect(recordedVersions()).toEqual(everyVersionIs(START));
  });

  test('when the tag already exists, then it refuses with one line and changes nothing', () => {
    const [major, minor, patch] = START.split('.').map(Number) as [number, number, number];
    gitIn(repo, 'tag', `v${major}.${minor}.${patch + 1}`);
    const before = head();

    const result = bump();

    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/tag v\S+ already exists; nothing changed\n$/);
    expect(result.stderr.split('\n')).toHaveLength(2);
    expect(head()).toBe(before);
    expect(gitIn(repo, 'status', '--porcelain')).toBe('');
  });

  test('when the argument is not a level, then exit 2 with one line', () => {
    const result = bump('huge');

    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/unknown level "huge": use major, minor or patch\n$/);
    expect(tags()).toBe('');
  });

  test('when the commit fails, then the files are restored and there is no tag', () => {
    fs.writeFileSync(path.join(repo, '.git', 'hooks', 'pre-commit'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
    const before = head();

    const result = bump('patch');

    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/commit failed, files restored/);
    expect(head()).toBe(before);
    expect(tags()).toBe('');
    expect(gitIn(repo, 'status', '--porcelain')).toBe('');
  });

  test('when the tag cannot be written, then the release commit is taken back', () => {
    const [major, minor, patch] = START.split('.').map(Number) as [number, number, number];
    fs.mkdirSync(path.join(repo, '.git', 'refs', 'tags'), { recursive: true });
    fs.writeFileSync(path.join(repo, '.git', 'refs', 'tags', `v${major}.${minor}.${patch + 1}.lock`), '');
    const before = head();

    const result = bump('patch');

    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/tag failed, release commit taken back/);
    expect(head()).toBe(before);
    expect(tags()).toBe('');
    expect(gitIn(repo, 'status', '--porcelain')).toBe('');
    expect(recordedVersions()).toEqual(everyVersionIs(START));
  });
});
