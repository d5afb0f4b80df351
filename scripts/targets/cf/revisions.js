// @ts-check
/**
 * An app's releases on Cloud Foundry: its revisions. A revision is made by each change of
 * droplet, environment or start command (cloudfoundry/cloud_controller_ng
 * app/actions/revision_resolver.rb); its description says only what changed ("New droplet
 * deployed. New environment variables deployed.", "Rolled back to revision 3."), never the
 * version, so the version is the APP_VERSION it ran with (manifest.yml sets it from
 * ((version))), which `cf revision APP --version N` lists.
 *
 * What the cf CLI prints (cloudfoundry/cli v8.9.1):
 *   cf revisions APP (command/v7/revisions_command.go): a table "revision  description
 *     deployable  revision guid  created at", a row per revision, newest first, the
 *     deployed one(s) marked "4(deployed)" (decorateVersionWithDeployed);
 *   cf revision APP --version N (command/v7/revision_command.go): "revision:", "deployed:",
 *     ..., then the header "application environment variables:" and a "NAME:   value" line each.
 * Only a deployable revision (its droplet still kept) can be rolled back to.
 */
const { commitOfVersion } = require('../../lib/git');

/** @typedef {import('../types').Shell} Shell */
/** @typedef {import('../../lib/releases').AppRelease} AppRelease */

/** How many of an app's newest revisions are read (each is one cf revision call). */
const LIMIT = 10;

const ROW = /^(\d+)(\(deployed\))?\s+(.*?)\s+(true|false)\s+([0-9a-f-]{36})\s+(\S+)\s*$/;

/**
 * The rows of `cf revisions APP`, newest first.
 * @param {string} output
 * @returns {{ revision: number, deployed: boolean, description: string, deployable: boolean, guid: string, createdAt: string }[]}
 */
function parseRevisions(output) {
  return output.split('\n').flatMap((line) => {
    const match = ROW.exec(line.trim());
    if (!match) return [];
    const [, revision, deployed, description = '', deployable, guid = '', createdAt = ''] = match;
    return [{ revision: Number(revision), deployed: Boolean(deployed), description, deployable: deployable === 'true', guid, createdAt }];
  });
}

/** The APP_VERSION a revision ran with, from `cf revision APP --version N`. @param {string} output */
function parseRevisionVersion(output) {
  const variables = output.split('\n').findIndex((line) => line.trim() === 'application environment variables:');
  if (variables === -1) return undefined;
  for (const line of output.split('\n').slice(variables + 1)) {
    const match = /^\s*APP_VERSION:\s+(\S+)\s*$/.exec(line);
    if (match) return match[1];
  }
  return undefined;
}

/**
 * An app's deployable revisions, newest first (at most LIMIT), each with the version it ran;
 * the deployed ones always. `until`: stop after the first that ran this version. Under
 * --dry-run, undefined (the reads are printed, with <N> for each revision).
 * @param {string} app @param {Shell} shell @param {{ until?: string }} [options]
 * @returns {Promise<AppRelease[] | undefined>}
 */
async function revisionHistory(app, shell, options = {}) {
  const listed = await shell.read(['cf', 'revisions', app], `cf could not list the revisions of ${app}`);
  if (listed === undefined) {
    await shell.read(['cf', 'revision', app, '--version', '<N>'], '');
    return undefined;
  }
  const rows = parseRevisions(listed);
  /** @type {AppRelease[]} */
  const history = [];
  let found = false;
  for (const row of rows.filter((candidate) => candidate.deployable || candidate.deployed)) {
    if ((found || history.length >= LIMIT) && !row.deployed) continue;
    const shown = await shell.read(
      ['cf', 'revision', app, '--version', String(row.revision)],
      `cf could not show revision ${row.revision} of ${app}`,
    );
    const version = parseRevisionVersion(shown ?? '') ?? `revision ${row.revision}`;
    const commit = commitOfVersion(version);
    history.push({ id: `#${row.revision}`, version, when: row.createdAt, current: row.deployed, ...(commit ? { commit } : {}) });
    if (version === options.until) found = true;
  }
  return history;
}

module.exports = { LIMIT, parseRevisions, parseRevisionVersion, revisionHistory };
