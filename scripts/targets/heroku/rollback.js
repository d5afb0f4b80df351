// @ts-check
/**
 * `scripts/rollback <space> --target heroku [--to <version>]`: for each app, its newest release
 * of that version (history.js), then `heroku releases:rollback vN -a APP`, in the reverse of
 * heroku.json's order (the order the push goes in): an app goes back before the APIs it calls.
 *
 * npm heroku 11.10.0 dist/commands/releases/rollback.js: the release is an argument ("ID of
 * the release. If omitted, we use the last eligible release."), "vN" or N
 * (lib/releases/releases.js getRelease strips the v); -a/--app required; it asks nothing, makes
 * a new release of that release's slug and config vars ("Rollback affects code and config
 * vars; it doesn't add or remove addons.") and runs its release phase. Heroku then restarts
 * the app's dynos on it (without a gap only with preboot: heroku features:enable preboot).
 */
const { rollbackMoves } = require('../../lib/releases');
const { appsOf } = require('./apps');
const { HEROKU } = require('./day-two');
const { releaseHistory } = require('./history');
const { UPSTREAM } = require('./upstream');

/** @type {import('../types').RollbackTarget} */
const rollback = {
  ...HEROKU,
  async rollback(space, to, { shell, say }) {
    const apps = Object.entries(appsOf(space)).reverse();
    const upstream = UPSTREAM[space];
    /** @type {import('../../lib/releases').Histories} */
    const histories = {};
    for (const [app, name] of apps) {
      const history = await releaseHistory(name, shell, upstream ? appsOf(upstream)[app] : undefined);
      if (history) histories[app] = history;
    }
    if (shell.dryRun) {
      for (const [app, name] of apps)
        await shell.run({
          argv: ['heroku', 'releases:rollback', `<release of ${app} that ran ${to ?? 'the previous version'}>`, '-a', name],
          why: '',
        });
      return { from: '<current>', to: to ?? '<previous>' };
    }
    const plan = rollbackMoves(space, histories, to);
    if (plan.already.length > 0) say(`${plan.already.join(', ')} already serve${plan.already.length === 1 ? 's' : ''} ${plan.to}`);
    for (const [index, { app, release }] of plan.moves.entries()) {
      const name = /** @type {string} */ (appsOf(space)[app]);
      const left = plan.moves.slice(index + 1).map((move) => move.app);
      await shell.run({
        argv: ['heroku', 'releases:rollback', release.id, '-a', name],
        why: `heroku releases:rollback ${release.id} -a ${name} failed (see above); ${left.length > 0 ? `not rolled back: ${left.join(', ')}` : 'every other app was rolled back'}`,
      });
    }
    return { from: plan.from, to: plan.to };
  },
};

module.exports = rollback;
