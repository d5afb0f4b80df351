/**
 * A person's first command in a fresh clone is often `--help`: every command answers it at
 * once, from a copy of the repository where nothing is built (no dist/ anywhere), and builds
 * nothing while it answers. How long each takes is bench/help's to print (a test asserts no time).
 */
import fs from 'node:fs';
import path from 'node:path';
import { makeProjectCopy, removeRepo, sh } from '../../../lib/testing/throwaway-repo';

let copy: string;
beforeAll(() => {
  copy = makeProjectCopy();
}, 120_000);
afterAll(() => removeRepo(copy));

/** Every dist/ folder of the copy's workspaces. */
const builds = () =>
  ['packages', 'apps'].flatMap((folder) =>
    fs
      .readdirSync(path.join(copy, folder))
      .map((name) => path.join(folder, name, 'dist'))
      .filter((dist) => fs.existsSync(path.join(copy, dist))),
  );

/** The commands a person runs: each scripts/<name> shim, and the CI entry point. */
const COMMANDS = [
  ...fs
    .readdirSync(path.join(__dirname, '..', '..', '..'), { withFileTypes: true })
    .filter((entry) => entry.isFile() && !entry.name.includes('.'))
    .map((entry) => `scripts/${entry.name}`),
  '.ci/run',
];

describe('--help in a fresh clone, before anything is built', () => {
  test('the copy has no build to start from', () => {
    expect(builds()).toEqual([]);
    expect(COMMANDS).toEqual(expect.arrayContaining(['scripts/start', 'scripts/push', 'scripts/e2e', 'scripts/test', '.ci/run']));
  });

  test.each(COMMANDS)('%s --help: its usage line first, exit 0, and nothing built', (command) => {
    const result = sh(path.join(copy, command), ['--help'], copy);

    expect([result.status, result.stderr, result.stdout.split('\n')[0]]).toEqual([
      0,
      '',
      expect.stringMatching(new RegExp(`^usage: ${command.replace('.', '\\.')}( |$)`)),
    ]);
    expect(builds()).toEqual([]);
  });
});
