// @ts-check
/**
 * scripts/bump [major|minor|patch]  (patch by default)
 * Moves the bundle's version everywhere it is recorded (lib/versions.js), commits
 * "Release vX.Y.Z" and tags vX.Y.Z (annotated). Refuses on a dirty tree, an existing tag or
 * a bad argument. Nothing half-done: when the commit fails the files are put back; when
 * the tag fails the commit is taken back too, so there is never a tag without its commit
 * nor a release commit without its tag.
 */
const fs = require('node:fs');
const path = require('node:path');
const semver = require('semver');
const { ROOT, fail } = require('../lib/run');
const { parseCommand, usageError } = require('@bundle/args');
const { git, firstLine, dirtyPaths, changedSummary, tagExists } = require('../lib/git');
const { planVersionEdits, writeEdits } = require('../lib/versions');

const LEVELS = ['major', 'minor', 'patch'];
/** @type {import('@bundle/args').Command} */
const COMMAND = {
  usage: 'usage: scripts/bump [major|minor|patch]',
  about:
    'Moves the version everywhere it is recorded, commits "Release vX.Y.Z" and tags vX.Y.Z.\nRefuses on a dirty tree or an existing tag; nothing is left half-done.',
  positionals: ['major|minor|patch  which part of the version to raise (default patch)'],
  options: {},
  maxPositionals: 1,
};

function main() {
  const level = parseCommand(process.argv.slice(2), COMMAND).positionals[0] ?? 'patch';
  if (!LEVELS.includes(level)) usageError(COMMAND, `unknown level "${level}": use major, minor or patch`);

  if (!git(['rev-parse', '--verify', '-q', 'HEAD']).ok) fail('not a git repository with a commit to release from');
  let dirty;
  try {
    dirty = dirtyPaths();
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  if (dirty.length > 0) fail(`the working tree is not clean (${changedSummary(dirty)}); commit or stash first`);

  const current = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
  if (!semver.valid(current)) fail(`package.json version "${current}" is not a semantic version`);
  const next = /** @type {string} */ (semver.inc(current, /** @type {'major' | 'minor' | 'patch'} */ (level)));
  const tag = `v${next}`;
  if (tagExists(tag)) fail(`tag ${tag} already exists; nothing changed`);

  let edits;
  try {
    edits = planVersionEdits(ROOT, current, next);
  } catch (error) {
    fail(`cannot update the version files: ${error instanceof Error ? error.message : String(error)}`);
  }
  const files = edits.map((edit) => edit.file);
  const previous = git(['rev-parse', 'HEAD']).out;

  writeEdits(ROOT, edits, 'after');
  const commit = git(['commit', '-q', '-m', `Release ${tag}`, '--', ...files]);
  if (!commit.ok) {
    writeEdits(ROOT, edits, 'before');
    fail(`commit failed, files restored: ${firstLine(commit)}`);
  }
  const tagged = git(['tag', '-a', tag, '-m', `Release ${tag}`]);
  if (!tagged.ok) {
    // Take our own release commit back so the tree is exactly as it was before.
    git(['reset', '-q', '--soft', previous]);
    git(['reset', '-q', previous, '--', ...files]);
    writeEdits(ROOT, edits, 'before');
    fail(`tag failed, release commit taken back: ${firstLine(tagged)}`);
  }
  process.stdout.write(`bump: ${current} -> ${next} (${level}); ${files.length} files: ${files.join(', ')}\n`);
  process.stdout.write(`bump: committed "Release ${tag}" and tagged ${tag}\n`);
}

main();
