// @ts-check
/**
 * What scripts/new-app prints once the app is made: the steps from here to production, in
 * order. The pipeline's bump refuses a working tree with changes (it commits the release), so
 * the commit comes before it; a running local space takes the new app with a push, which
 * creates the app's new binding in that space (no stop, no start); a space that is not
 * running starts with it.
 */

/**
 * @param {{ name: string, route: string | undefined, redis: string | undefined, port: string }} app
 * @returns {string[]}
 */
function nextSteps({ name, route, redis, port }) {
  /** @type {Array<[string, string]>} */
  const rows = [
    [`npx jest apps/${name}`, 'its tests (a real Redis is started for them)'],
    [`git add -A && git commit -m "${name}: a new app"`, "the pipeline's bump refuses uncommitted changes"],
    ['scripts/push dev', `dev already running: pushes ${name} into it${redis ? ` and creates ${redis} there` : ''}, no restart`],
    ['npm start', `dev not running: starts it with ${name}; then ${route ? `curl -i http://localhost:${port}${route}` : 'scripts/status'}`],
    ['scripts/pipeline --target local', 'test, bump, staging, journeys, production'],
  ];
  const width = Math.max(...rows.map(([command]) => command.length)) + 2;
  return [
    `new-app: ${name} is ready${route ? ` on ${route}` : ''}. Next:`,
    ...rows.map(([command, why]) => `  ${command.padEnd(width)}${why}`),
  ];
}

module.exports = { nextSteps };
