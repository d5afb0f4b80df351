// @ts-check
/**
 * `scripts/push <space> --target cf`: one `cf push APP` per app of the manifest, in
 * PUSH_ORDER (push-order.js), each with the space's vars and a rolling (or canary) deployment.
 *
 * Why one app at a time: cf CLI v8 takes no flag but -f and --no-start (and the vars
 * options) for a manifest of several apps unless one app is named ("Command line flags
 * (except -f and --no-start) cannot be applied when pushing multiple apps from a manifest
 * file"; cloudfoundry/cli actor/v7pushaction/handle_strategy_override.go, after
 * handle_app_name_override.go has narrowed the manifest to the named app). `cf push` with
 * a strategy waits until the deployment finishes (unless --no-wait) and exits non-zero when
 * it fails, so a failed app stops the push and the apps after it keep their old release.
 *
 * An app that calls another on its internal route (tokens -> users.apps.internal:8080)
 * needs a network policy, added right after both apps are pushed (both must exist; a policy
 * that exists already is left as it is): `cf add-network-policy tokens users --port 8080
 * --protocol tcp`. Until then, on the very first push, the call is refused.
 *
 * An app with a release task (apps/<app>/src/release.ts) is pushed by release-task.js
 * instead: the task runs on the new droplet before the droplet takes traffic.
 */
const fs = require('node:fs');
const { varsFile, ownRouteUrls, manifestFor } = require('../../lib/manifest');
const { onPath, firstLine } = require('../../lib/steps');
const { uploadReport } = require('./upload');
const { pushOrder } = require('./push-order');
const { networkPolicies } = require('./network-policies');
const { hasReleaseTask, releaseTaskStep } = require('./release-task');

/** @typedef {import('../../lib/steps').Step} Step */
/** @typedef {import('../types').PushTarget} PushTarget */

const STRATEGIES = ['rolling', 'canary'];

/** @type {PushTarget} */
const push = {
  flags: {
    strategy: {
      type: 'string',
      value: 'rolling|canary',
      doc: "how each app's instances are replaced (default rolling; canary needs cf CLI v8.8+)",
      elsewhere: 'has its own way of replacing instances',
    },
  },
  synopsis: '[--strategy rolling|canary]',
  check(space, values) {
    const strategy = values.strategy;
    if (typeof strategy === 'string' && !STRATEGIES.includes(strategy)) return `--strategy takes rolling or canary (got "${strategy}")`;
    return fs.existsSync(varsFile(space)) ? undefined : `unknown space "${space}": there is no vars/${space}.yml`;
  },
  preflight() {
    return {
      missing: onPath('cf')
        ? undefined
        : 'cf is not installed: install the Cloud Foundry CLI (https://github.com/cloudfoundry/cli#downloads) or use --target local',
      step: { argv: ['cf', 'target'], why: 'cf target', quiet: true },
      failure: (output) => `cf is not logged in or has no org targeted: run cf login -a <api> (cf target says: ${firstLine(output)})`,
    };
  },
  builds: () => true,
  report: (space) => uploadReport(space),
  // --var version pins what /version answers to the release being pushed, whatever the
  // vars file says (scripts/bump keeps the file in step too). A canary deployment pauses
  // after its first new instance is healthy; continue-deployment then replaces the rest and
  // waits (a canary that fails its health check fails the push before that).
  steps(space, version, values) {
    const strategy = typeof values.strategy === 'string' ? values.strategy : 'rolling';
    const apps = pushOrder(manifestFor(space).apps.map((app) => app.name));
    const policies = networkPolicies(space);
    return [
      { argv: ['cf', 'target', '-s', space], why: `cf could not target space ${space}` },
      ...apps.flatMap((app, index) => {
        const left = apps.slice(index + 1);
        const why = `cf push ${app} failed: its ${strategy} deployment did not complete (see above); ${left.length > 0 ? `not pushed: ${left.join(', ')}` : 'every other app was pushed'}`;
        /** @type {Step[]} */
        const steps = hasReleaseTask(app)
          ? [
              releaseTaskStep(
                space,
                app,
                version,
                strategy,
                `the release of ${app} stopped (see above); ${left.length > 0 ? `not pushed: ${left.join(', ')}` : 'every other app was pushed'}`,
              ),
            ]
          : [
              {
                argv: [
                  'cf',
                  'push',
                  app,
                  '-f',
                  'manifest.yml',
                  '--vars-file',
                  `vars/${space}.yml`,
                  '--var',
                  `version=${version}`,
                  '--strategy',
                  strategy,
                ],
                why,
              },
            ];
        if (strategy === 'canary' && !hasReleaseTask(app)) steps.push({ argv: ['cf', 'continue-deployment', app], why });
        // Each policy once both of its apps are pushed: after the later of the two.
        for (const { source, destination, port } of policies.filter(
          (policy) =>
            [policy.source, policy.destination].includes(app) &&
            apps.indexOf(policy.source) <= index &&
            apps.indexOf(policy.destination) <= index,
        )) {
          steps.push({
            argv: ['cf', 'add-network-policy', source, destination, '--port', String(port), '--protocol', 'tcp'],
            why: `cf add-network-policy ${source} ${destination} failed: ${source} cannot reach ${destination}'s internal route without it; not pushed: ${left.join(', ') || 'none'}`,
          });
        }
        return steps;
      }),
    ];
  },
  async versionTargets(space) {
    return ownRouteUrls(space);
  },
};

module.exports = push;
