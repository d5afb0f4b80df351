import { copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, symlinkSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { PlatformError } from '../manifest/errors';

/**
 * cf CLI v8's DefaultIgnoreLines (actor/sharedaction/resource.go), applied before a folder's
 * .cfignore: what a droplet holds is what `cf push` would upload (scripts/targets/cf/upload.js
 * follows the same rules), so a local release carries no source, test, secret or local state.
 */
const DEFAULT_IGNORE_LINES = ['.cfignore', '.DS_Store', '.git', '.gitignore', '.hg', '.svn', '_darcs', 'manifest.yaml', 'manifest.yml'];
/** Never copied wherever they are: dependencies are linked instead (below), and a space's own folder holds the droplets. */
const NEVER = ['node_modules/', '.local/', '.git/'];

function rulesOf(dir: string): Ignore {
  const rules = ignore().add(DEFAULT_IGNORE_LINES).add(NEVER);
  const cfignore = join(dir, '.cfignore');
  if (existsSync(cfignore)) rules.add(readFileSync(cfignore, 'utf8'));
  return rules;
}

/** `path` relative to `root`, or a PlatformError when it is outside (a droplet mirrors the repository's layout). */
export function inside(root: string, path: string, what: string): string {
  const rel = relative(root, path);
  if (rel.startsWith('..') || isAbsolute(rel))
    throw new PlatformError(
      `${what} (${path}) is outside ${root}: the local platform keeps droplets of what is under it (the droplet mirrors its layout): keep it under ${root}`,
    );
  return rel;
}

/**
 * Copies into `droplet` what the apps of a release run: each app folder's upload (cf's ignore
 * rules and the folder's .cfignore: for this repository, each workspace's package.json and
 * dist/, each app's openapi.yaml), the manifest, at the same places relative to `root`.
 * Dependencies are not copied (hundreds of MB, and `npm ci` changes them only with the
 * lockfile): the droplet's node_modules links each of the repository's packages, except the
 * workspace links (@bundle/kit -> packages/kit), which lead to the droplet's own copy, so an
 * app runs the kit it was built with. A workspace's own node_modules is linked likewise.
 */
export function copyDroplet(root: string, droplet: string, appFolders: string[], manifestFile: string): void {
  mkdirSync(droplet, { recursive: true });
  for (const folder of [...new Set(appFolders.map((path) => inside(root, path, 'an app path')))])
    copyUpload(join(root, folder), join(droplet, folder));
  const manifestRel = inside(root, manifestFile, 'the manifest');
  mkdirSync(dirname(join(droplet, manifestRel)), { recursive: true });
  copyFileSync(manifestFile, join(droplet, manifestRel));
  linkModules(root, droplet);
}

function copyUpload(from: string, to: string): void {
  const rules = rulesOf(from);
  const walk = (relDir: string): void => {
    for (const entry of readdirSync(join(from, relDir), { withFileTypes: true })) {
      const rel = relDir ? `${relDir}/${entry.name}` : entry.name;
      if ((entry.isDirectory() || entry.isSymbolicLink()) && entry.name === 'node_modules' && relDir !== '') {
        // A workspace's own dependencies (a version the root does not hoist), or a link to them
        // (a copy of the project that shares its installed packages).
        mkdirSync(join(to, relDir), { recursive: true });
        symlinkSync(realpathSync(join(from, rel)), join(to, rel));
      } else if (entry.isDirectory()) {
        if (!rules.ignores(`${rel}/`)) walk(rel);
      } else if (!rules.ignores(rel) && (entry.isFile() || entry.isSymbolicLink())) {
        mkdirSync(join(to, relDir), { recursive: true });
        copyFileSync(join(from, rel), join(to, rel));
      }
    }
  };
  walk('');
}

function linkModules(root: string, droplet: string): void {
  const source = join(root, 'node_modules');
  if (!existsSync(source)) return;
  const modules = join(droplet, 'node_modules');
  mkdirSync(modules, { recursive: true });
  for (const name of readdirSync(source)) {
    const from = join(source, name);
    if (name === '.bin' || name.startsWith('.package-lock')) continue;
    if (name.startsWith('@') && lstatSync(from).isDirectory() && hasWorkspaceLink(root, from)) {
      mkdirSync(join(modules, name));
      for (const member of readdirSync(from)) link(target(root, droplet, join(from, member)), join(modules, name, member), droplet);
    } else link(target(root, droplet, from), join(modules, name), droplet);
  }
}

/**
 * A link into the droplet is relative (the droplet is made under a temporary name and then
 * renamed: an absolute link would lead nowhere, and node would go on up to the checkout's
 * own node_modules, running the working tree's kit); one out of it is absolute.
 */
function link(to: string, at: string, droplet: string): void {
  symlinkSync(to.startsWith(`${droplet}${sep}`) ? relative(dirname(at), to) : to, at);
}

/** A scope folder holding links into the repository (npm workspaces). */
function hasWorkspaceLink(root: string, scope: string): boolean {
  return readdirSync(scope).some((member) => workspaceOf(root, join(scope, member)) !== undefined);
}

/** The workspace a node_modules entry links to, relative to root; undefined for a package of the registry. */
function workspaceOf(root: string, entry: string): string | undefined {
  if (!lstatSync(entry).isSymbolicLink()) return undefined;
  const real = realpathSync(entry);
  const realRoot = realpathSync(root);
  const rel = relative(realRoot, real);
  if (rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('node_modules')) return undefined;
  return rel;
}

/** Where a droplet's node_modules entry leads: the droplet's copy of a workspace, else the repository's package. */
function target(root: string, droplet: string, entry: string): string {
  const workspace = workspaceOf(root, entry);
  if (workspace !== undefined && existsSync(join(droplet, workspace))) return join(droplet, workspace);
  return realpathSync(entry);
}
