// @ts-check
/**
 * `scripts/rollback <space> [--to <version>]` (--target local, the default): the running
 * space goes back to one of the releases it keeps (the one before the current, or the newest
 * of the version named), by a rolling replacement of every instance from that release's
 * droplet (POST /rollback on the supervisor's control channel: the rolling push's own
 * machinery, so no request fails). A version it keeps no release of is one line naming those
 * it keeps.
 */
const { rollbackTarget } = require('../../lib/releases');
const { LOCAL, ask, localReleases } = require('./releases');

/** @type {import('../types').RollbackTarget} */
const rollback = {
  ...LOCAL,
  async rollback(space, to, io) {
    const releases = await localReleases(space);
    const target = rollbackTarget(space, releases, to);
    const from = /** @type {typeof releases[number]} */ (target.from);
    const chosen = /** @type {typeof releases[number]} */ (target.to);
    io.say(`replacing every instance of ${space} from .local/${space}/releases/${chosen.id}, one at a time`);
    /** @type {{ steps?: unknown[] }} */
    const answer = await ask(space, 'POST', '/rollback', { release: chosen.id });
    io.say(`replaced ${answer.steps?.length ?? '?'} instances`);
    return { from: from.version, to: chosen.version };
  },
};

module.exports = rollback;
