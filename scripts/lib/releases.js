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

/**
 * One app's release on cf or heroku: a revision (`#7`), a Heroku release (`v42`).
 * @typedef {{ id: string, version: string, when?: string, current: boolean, commit?: string }} AppRelease
 * @typedef {Record<string, AppRelease[]>} Histories app -> its releases, newest first
 */

/**
 * The space's releases from each app's own: one per version, newest first; `current` when
 * every app serves it; the detail names each app's own id of it.
 * @param {Histories} histories @returns {Release[]}
 */
function bundleReleases(histories) {
  const apps = Object.keys(histories);
  /** @type {Map<string, Map<string, AppRelease>>} version -> app -> that app's newest release of it */
  const byVersion = new Map();
  for (const app of apps)
    for (const release of histories[app] ?? []) {
      const seen = byVersion.get(release.version) ?? new Map();
      if (!seen.has(app)) seen.set(app, release);
      byVersion.set(release.version, seen);
    }
  const currentOf = (/** @type {string} */ app) => (histories[app] ?? []).find((release) => release.current)?.version;
  const releases = [...byVersion].map(([version, of]) => {
    const mine = [...of.values()];
    const when =
      mine
        .map((release) => release.when ?? '')
        .sort()
        .pop() || undefined;
    const missing = apps.filter((app) => !of.has(app));
    return {
      version,
      ...(mine.find((release) => release.commit)?.commit ? { commit: mine.find((release) => release.commit)?.commit } : {}),
      ...(when ? { when } : {}),
      current: apps.length > 0 && apps.every((app) => currentOf(app) === version),
      detail:
        [...of].map(([app, release]) => `${app} ${release.id}`).join(', ') + (missing.length > 0 ? ` (not on ${missing.join(', ')})` : ''),
    };
  });
  return releases.sort((a, b) => (b.when ?? '').localeCompare(a.when ?? ''));
}

/**
 * What a rollback of every app to `to` (else to the release before the current) does on cf or
 * heroku: each app's own release to go back to, and the apps that serve it already. Throws a
 * Failure for a version some app has no release of, or when there is nothing to go back to.
 * @param {string} space @param {Histories} histories @param {string | undefined} to
 * @returns {{ from: string, to: string, moves: { app: string, release: AppRelease }[], already: string[] }}
 */
function rollbackMoves(space, histories, to) {
  const releases = bundleReleases(histories);
  const currents = Object.entries(histories).map(([app, list]) => ({ app, version: list.find((release) => release.current)?.version }));
  const distinct = [...new Set(currents.map(({ version }) => version ?? 'none'))];
  const from =
    distinct.length === 1
      ? /** @type {string} */ (distinct[0])
      : currents.map(({ app, version }) => `${app} ${version ?? 'none'}`).join(', ');
  if (to === undefined && distinct.length > 1)
    throw new Failure(`the apps of ${space} serve different releases (${from}): name the one to go back to with --to`);
  const target = to === undefined ? rollbackTarget(space, releases, undefined).to.version : to;
  if (!releases.some((release) => release.version === target))
    throw noSuchRelease(
      space,
      target,
      releases.map((release) => release.version),
    );
  /** @type {{ app: string, release: AppRelease }[]} */
  const moves = [];
  /** @type {string[]} */
  const already = [];
  for (const [app, list] of Object.entries(histories)) {
    if (list.find((release) => release.current)?.version === target) {
      already.push(app);
      continue;
    }
    const release = list.find((candidate) => candidate.version === target);
    if (!release)
      throw new Failure(
        `${app} in ${space} has no release ${target} (its releases: ${[...new Set(list.map((candidate) => candidate.version))].join(', ') || 'none'})`,
      );
    moves.push({ app, release });
  }
  return { from, to: target, moves, already };
}

module.exports = { noSuchRelease, rollbackTarget, releaseTable, bundleReleases, rollbackMoves };
