// @ts-check
/** Git queries and commands for the release scripts, with captured output. */
const { spawnSync } = require('node:child_process');
const { ROOT } = require('./run');

/**
 * Runs git in the project root and returns its exit status and trimmed output.
 * @param {string[]} args
 * @param {string} [cwd]
 * @returns {{ ok: boolean, out: string, err: string }}
 */
function git(args, cwd = ROOT) {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (result.error) return { ok: false, out: '', err: `cannot run git: ${result.error.message}` };
  return { ok: result.status === 0, out: (result.stdout ?? '').trimEnd(), err: (result.stderr ?? '').trim() };
}

/** The first line of git's complaint, for a one-line failure. @param {{ out: string, err: string }} result */
function firstLine(result) {
  return (result.err || result.out).split('\n').find((line) => line.trim() !== '') ?? 'git failed';
}

/** Lines `git status --porcelain` prints: tracked changes and untracked files. @param {string} [cwd] */
function dirtyPaths(cwd = ROOT) {
  const status = git(['status', '--porcelain'], cwd);
  if (!status.ok) throw new Error(firstLine(status));
  return status.out.split('\n').filter((line) => line.trim() !== '');
}

/** @param {string} tag @param {string} [cwd] */
function tagExists(tag, cwd = ROOT) {
  return git(['rev-parse', '-q', '--verify', `refs/tags/${tag}`], cwd).ok;
}

/** "2 changed: a.txt, b.txt" for lines of dirtyPaths, the first three named. @param {string[]} dirty */
function changedSummary(dirty) {
  return `${dirty.length} changed: ${dirty
    .slice(0, 3)
    .map((line) => line.slice(3))
    .join(', ')}${dirty.length > 3 ? ', ...' : ''}`;
}

/**
 * The short commit a release was built from: what its tag v<version> (scripts/bump) points
 * at, when this checkout has the tag. @param {string} version @param {string} [cwd]
 */
function commitOfVersion(version, cwd = ROOT) {
  const result = git(['rev-parse', '--short', `v${version}^{commit}`], cwd);
  return result.ok ? result.out : undefined;
}

/**
 * The version a commit was released as: the tag vX.Y.Z on it (scripts/bump), when this
 * checkout has the commit and the tag. @param {string} commit @param {string} [cwd]
 */
function versionOfCommit(commit, cwd = ROOT) {
  if (!/^[0-9a-f]{4,40}$/.test(commit)) return undefined;
  const result = git(['tag', '--points-at', commit, '--list', 'v[0-9]*', '--sort=-v:refname'], cwd);
  const tag = result.ok ? result.out.split('\n')[0] : '';
  return tag ? tag.slice(1) : undefined;
}

module.exports = { git, firstLine, dirtyPaths, changedSummary, tagExists, commitOfVersion, versionOfCommit };
