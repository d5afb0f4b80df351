// @ts-check
/**
 * What every target says the same way about releases (targets/types.d.ts, Release): the
 * line for a version the space has no release of, the release before the current one, and
 * the table scripts/releases prints.
 */
const { Failure } = require('./failure');

/** @typedef {import('../targets/types').Release} Release */

/**
 * The one line for `--to <version>` that names no release of the space.
 * @param {string} space @param {string} to @param {string[]} versions the space's releases, newest first
 */
function noSuchRelease(space, to, versions) {
  const known = [...new Set(versions)];
  return new Failure(
    known.length === 0
      ? `${space} has no release ${to}: it has no releases at all`
      : `${space} has no release ${to} (its releases: ${known.join(', ')})`,
  );
}

/**
 * The release a rollback goes to: `to` when given (it must be one of them), else the newest
 * one older than the current that has another version. Throws a Failure when there is none.
 * @param {string} space @param {Release[]} releases newest first @param {string | undefined} to
 * @returns {{ from: Release, to: Release }}
 */
function rollbackTarget(space, releases, to) {
  const current = releases.find((release) => release.current);
  if (!current) throw new Failure(`${space} serves no release it keeps (scripts/releases ${space} lists them)`);
  if (to !== undefined) {
    const found = releases.find((release) => release.version === to);
    if (!found)
      throw noSuchRelease(
        space,
        to,
        releases.map((release) => release.version),
      );
    return { from: current, to: found };
  }
  const older = releases.slice(releases.indexOf(current) + 1).find((release) => release.version !== current.version);
  if (!older) throw new Failure(`${space} has no release before ${current.version} to roll back to`);
  return { from: current, to: older };
}

/**
 * The releases as scripts/releases prints them: a header, then one row each, newest first.
 * @param {Release[]} releases @returns {string[]}
 */
function releaseTable(releases) {
  const rows = [
    ['version', 'commit', 'when', 'current', ''],
    ...releases.map((release) => [
      release.version,
      release.commit ?? '-',
      release.when ? release.when.replace('T', ' ').replace(/\.\d+/, '').replace(/Z$/, ' UTC') : '-',
      release.current ? 'current' : '',
      release.detail ?? '',
    ]),
  ];
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}

module.exports = { noSuchRelease, rollbackTarget, releaseTable };
