// @ts-check
/**
 * An app's releases on Heroku, as the bundle counts them: `heroku releases -a APP --json`
 * (npm heroku 11.10.0 dist/commands/releases/index.js: flags app (required), --json, -n/--num
 * "number of releases to show", default 15; the Platform API's release objects, newest first:
 * version, description, current, status, created_at, slug {id}).
 *
 * A release's bundle version is the tag (vX.Y.Z, scripts/bump) on the commit its slug was
 * built from. Heroku writes that commit into the description of a build's release ("Deploy
 * de63889", devcenter.heroku.com/articles/releases); the other releases of the same slug (a
 * config change, a rollback, a promotion to production, which copies the slug staging built)
 * get it through the slug: for production, from staging's releases. Releases without a slug
 * (the first ones, before any build) or that failed (their release phase failed, so they
 * never served) are not releases a rollback can go to.
 */
const { versionOfCommit } = require('../../lib/git');

/** @typedef {import('../types').Shell} Shell */
/** @typedef {import('../../lib/releases').AppRelease} AppRelease */

/** How many of an app's newest releases are read. */
const LIMIT = 30;

/**
 * @typedef {{ version: number, description?: string, current?: boolean, status?: string, created_at?: string, slug?: { id?: string } | null }} HerokuRelease
 */

/** The releases `heroku releases --json` printed. @param {string} output @returns {HerokuRelease[]} */
function parseReleases(output) {
  try {
    const parsed = JSON.parse(output);
    return Array.isArray(parsed) ? parsed.filter((release) => release && typeof release.version === 'number') : [];
  } catch {
    return [];
  }
}

/** slug id -> the commit its build's release names. @param {HerokuRelease[]} releases */
function commitsBySlug(releases) {
  /** @type {Map<string, string>} */
  const commits = new Map();
  for (const release of releases) {
    const commit = /^Deploy ([0-9a-f]{7,40})\b/.exec(release.description ?? '')?.[1];
    if (commit && release.slug?.id) commits.set(release.slug.id, commit);
  }
  return commits;
}

/**
 * An app's releases with a slug that did not fail, newest first, each with its bundle version.
 * Under --dry-run, undefined (the reads are printed).
 * @param {string} name the Heroku app @param {Shell} shell @param {string} [upstream] the Heroku app it is promoted from
 * @returns {Promise<AppRelease[] | undefined>}
 */
async function releaseHistory(name, shell, upstream) {
  const listed = await shell.read(
    ['heroku', 'releases', '-a', name, '--json', '-n', String(LIMIT)],
    `heroku could not list the releases of ${name}`,
  );
  if (listed === undefined) {
    if (upstream) await shell.read(['heroku', 'releases', '-a', upstream, '--json', '-n', String(LIMIT)], '');
    return undefined;
  }
  const releases = parseReleases(listed).sort((a, b) => b.version - a.version);
  const commits = commitsBySlug(releases);
  if (upstream && releases.some((release) => release.slug?.id && !commits.has(release.slug.id))) {
    const theirs = await shell.read(
      ['heroku', 'releases', '-a', upstream, '--json', '-n', String(LIMIT)],
      `heroku could not list the releases of ${upstream}`,
    );
    for (const [slug, commit] of commitsBySlug(parseReleases(theirs ?? '[]'))) if (!commits.has(slug)) commits.set(slug, commit);
  }
  return releases
    .filter((release) => release.slug?.id && (release.current || release.status === undefined || release.status === 'succeeded'))
    .map((release) => {
      const commit = commits.get(/** @type {string} */ (release.slug?.id));
      const version = (commit && versionOfCommit(commit)) ?? commit ?? `slug ${release.slug?.id}`;
      return {
        id: `v${release.version}`,
        version,
        current: release.current === true,
        ...(release.created_at ? { when: release.created_at } : {}),
        ...(commit ? { commit: commit.slice(0, 7) } : {}),
      };
    });
}

module.exports = { LIMIT, parseReleases, releaseHistory };
