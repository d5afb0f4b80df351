/**
 * A throwaway git repository holding a copy of the files the release scripts read, so
 * tests can commit and tag freely. node_modules is a symlink to the real one.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..', '..');

export interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function sh(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Ran {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

export function gitIn(cwd: string, ...args: string[]): string {
  const result = sh('git', args, cwd);
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
}

/**
 * Copies `files` (relative to the project root; folders recursively) into a new temp
 * folder, links node_modules, and commits everything as the first commit.
 */
export function makeThrowawayRepo(files: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-repo-'));
  for (const file of files) {
    const from = path.join(ROOT, file);
    if (!fs.existsSync(from)) continue;
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.cpSync(from, path.join(dir, file), { recursive: true, filter: (source) => !/[/\\](node_modules|dist|results)$/.test(source) });
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  const ignore = fs.existsSync(path.join(ROOT, '.gitignore')) ? fs.readFileSync(path.join(ROOT, '.gitignore'), 'utf8') : '';
  // "node_modules/" does not match a symlink; ignore the link itself too.
  fs.writeFileSync(path.join(dir, '.gitignore'), `${ignore}\nnode_modules\n`);
  gitIn(dir, 'init', '-q', '-b', 'main');
  gitIn(dir, 'config', 'user.name', 'Release Test');
  gitIn(dir, 'config', 'user.email', 'release-test@example.invalid');
  gitIn(dir, 'config', 'commit.gpgsign', 'false');
  gitIn(dir, 'config', 'tag.gpgsign', 'false');
  gitIn(dir, 'add', '-A');
  gitIn(dir, 'commit', '-q', '-m', 'initial');
  return dir;
}

/**
 * A copy of the whole project as it is checked out (tracked and untracked files that
 * are not ignored), with every node_modules folder linked, as a fresh repository.
 */
export function makeProjectCopy(): string {
  const listed = sh('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], ROOT);
  if (listed.status !== 0) throw new Error(`git ls-files: ${listed.stderr}`);
  const files = listed.stdout.split('\0').filter((file) => file !== '' && fs.existsSync(path.join(ROOT, file)));
  const dir = makeThrowawayRepo(files);
  linkPackagesOf(dir);
  // Workspaces may hold their own node_modules (a version the root does not hoist).
  for (const folder of ['packages', 'apps']) {
    for (const name of fs.readdirSync(path.join(ROOT, folder))) {
      const modules = path.join(ROOT, folder, name, 'node_modules');
      if (fs.existsSync(modules) && fs.existsSync(path.join(dir, folder, name)))
        fs.symlinkSync(modules, path.join(dir, folder, name, 'node_modules'));
    }
  }
  for (const name of ['e2e', 'bench']) {
    const modules = path.join(ROOT, name, 'node_modules');
    if (fs.existsSync(modules) && fs.existsSync(path.join(dir, name))) fs.symlinkSync(modules, path.join(dir, name, 'node_modules'));
  }
  return dir;
}

export function removeRepo(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * The copy's node_modules: every package linked to the project's, except the workspace
 * links (@bundle/kit -> packages/kit...), which must lead to the copy's own workspaces.
 * Through the project's links the copy's build would read the project's packages (and
 * fail on a fresh clone where nothing is built yet).
 */
function linkPackagesOf(dir: string): void {
  const modules = path.join(dir, 'node_modules');
  fs.rmSync(modules); // the whole-folder link makeThrowawayRepo made
  fs.mkdirSync(modules);
  for (const name of fs.readdirSync(path.join(ROOT, 'node_modules'))) {
    const from = path.join(ROOT, 'node_modules', name);
    // The workspace links are relative (../../packages/kit): copied as they are, they lead into the copy.
    if (name === '@bundle') fs.cpSync(from, path.join(modules, name), { recursive: true, verbatimSymlinks: true });
    else fs.symlinkSync(from, path.join(modules, name));
  }
}
