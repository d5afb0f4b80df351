/**
 * A project file a user broke (manifest.yml, heroku.json) ends every script that reads it
 * with one line naming the file and where the parser stopped, never a stack trace. In a
 * copy of the project, so the checkout's own files are never touched.
 */
import fs from 'node:fs';
import path from 'node:path';
import { makeProjectCopy, removeRepo, sh } from '../../../lib/testing/throwaway-repo';

let copy: string;
beforeAll(() => {
  copy = makeProjectCopy();
}, 60_000);
afterAll(() => removeRepo(copy));

/** Runs scripts/<name> (or a scripts/commands file with node) in the copy. */
const run = (command: string[]) =>
  command[0]?.endsWith('.js')
    ? sh(process.execPath, [path.join(copy, ...(command[0] ?? '').split('/')), ...command.slice(1)], copy)
    : sh(path.join(copy, 'scripts', command[0] ?? ''), command.slice(1), copy);

/** Breaks `file` in the copy while `check` runs, then puts it back. */
function whileBroken(file: string, broken: (text: string) => string, check: () => void): void {
  const original = fs.readFileSync(path.join(copy, file), 'utf8');
  fs.writeFileSync(path.join(copy, file), broken(original));
  try {
    check();
  } finally {
    fs.writeFileSync(path.join(copy, file), original);
  }
}

describe('a project file a user broke', () => {
  test('when manifest.yml is not valid YAML, then every script that reads it says so in the same line, with the line and column', () => {
    whileBroken(
      'manifest.yml',
      (text) => `${text}  - name: [oops\n`,
      () => {
        const results = [
          ['new-app', 'notes', '--dry-run'],
          ['remove-app', 'push', '--dry-run'],
          ['scripts/commands/bundle-check.js'],
          ['push', 'staging', '--target', 'cf', '--dry-run'],
          ['provision', 'staging', '--target', 'cf', '--dry-run'],
        ].map((command) => {
          const result = run(command);
          return [command[0], result.status, result.stderr.trim().split('\n')];
        });
        // One line, the same from each (the platform's reader's words), naming the line and column.
        const line = String((results[0]?.[2] as string[] | undefined)?.[0]).replace(/^[a-z-]+: /, '');
        expect(line).toMatch(/^manifest\.yml:\d+:\d+: YAML error: /);
        expect(results).toEqual(results.map(([name]) => [name, 1, [`${String(name).replace(/^.*\//, '').replace(/\.js$/, '')}: ${line}`]]));
      },
    );
  });

  test('when the project is not a git checkout (an unpacked archive), then a pipeline that would bump says so in one line', () => {
    fs.renameSync(path.join(copy, '.git'), path.join(copy, 'git-away'));
    try {
      const result = run(['pipeline', '--target', 'local', '--test-env', 'lint', '--to', 'bump']);
      expect([result.status, result.stderr.trim().split('\n')]).toEqual([
        1,
        [expect.stringMatching(/^pipeline: the bump stage needs a git checkout: /)],
      ]);
    } finally {
      fs.renameSync(path.join(copy, 'git-away'), path.join(copy, '.git'));
    }
  });

  test('when heroku.json is not valid JSON, then the scripts that read it say so in one line', () => {
    whileBroken(
      'heroku.json',
      () => '{\n',
      () => {
        const results = [
          ['new-app', 'notes', '--dry-run'],
          ['scripts/commands/bundle-check.js'],
          ['push', 'staging', '--target', 'heroku', '--dry-run'],
        ].map((command) => {
          const result = run(command);
          return [command[0], result.status, result.stderr.trim().split('\n')];
        });
        expect(results).toEqual(results.map(([name]) => [name, 1, [expect.stringMatching(/^[a-z-]+: heroku\.json: /)]]));
      },
    );
  });
});
