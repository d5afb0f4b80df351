// @ts-check
/**
 * `scripts/rollback <space> --target cf [--to <version>]`: for each app, the revision that ran
 * that version (revisions.js), then `cf rollback APP --version N -f`, ui first and tokens last
 * (the reverse of the push order: an app goes back before the APIs it calls do).
 *
 * cf CLI v8.9.1 command/v7/rollback_command.go: --version is required and names a revision
 * (flag.Revision); without -f it asks "Are you sure you want to continue?" and waits for an
 * answer; it deploys the revision with the rolling strategy unless --strategy says otherwise
 * (opts.Strategy = constant.DeploymentStrategyRolling) and waits for the deployment (NoWait:
 * false), exiting non-zero when it fails. Cloud Controller refuses a rollback to what the app
 * already runs ("Unable to rollback. The code and configuration you are rolling back to is
 * the same as the deployed revision.", app/actions/revision_resolver.rb): an app that
 * serves the version already is left alone.
 */
const { rollbackMoves } = require('../../lib/releases');
const { CF, targetSpace, appsInPushOrder } = require('./day-two');
const { revisionHistory } = require('./revisions');

/** @type {import('../types').RollbackTarget} */
const rollback = {
  ...CF,
  async rollback(space, to, { shell, say }) {
    await targetSpace(space, shell);
    const apps = appsInPushOrder(space).reverse();
    /** @type {import('../../lib/releases').Histories} */
    const histories = {};
    for (const app of apps) {
      const history = await revisionHistory(app, shell, to === undefined ? {} : { until: to });
      if (history) histories[app] = history;
    }
    if (shell.dryRun) {
      for (const app of apps)
        await shell.run({
          argv: ['cf', 'rollback', app, '--version', `<revision of ${app} that ran ${to ?? 'the previous release'}>`, '-f'],
          why: '',
        });
      return { from: '<current>', to: to ?? '<previous>' };
    }
    const plan = rollbackMoves(space, histories, to);
    if (plan.already.length > 0) say(`${plan.already.join(', ')} already serve${plan.already.length === 1 ? 's' : ''} ${plan.to}`);
    for (const [index, { app, release }] of plan.moves.entries()) {
      const left = plan.moves.slice(index + 1).map((move) => move.app);
      await shell.run({
        argv: ['cf', 'rollback', app, '--version', release.id.replace(/^#/, ''), '-f'],
        why: `cf rollback ${app} failed: it keeps serving what it served (see above); ${left.length > 0 ? `not rolled back: ${left.join(', ')}` : 'every other app was rolled back'}`,
      });
    }
    return { from: plan.from, to: plan.to };
  },
};

module.exports = rollback;
