// @ts-check
/**
 * The release task on Cloud Foundry: an app's src/release.ts (built to dist/release.js; a
 * migration, say) runs on the new droplet before that droplet takes traffic, and a failure
 * keeps the old release serving. scripts/push --target cf runs this for each app that has
 * one, in place of its `cf push` (push.js); a person can run it alone:
 *   node scripts/targets/cf/release-task.js <space> <app> <version> [--strategy rolling|canary] [--dry-run]
 *
 * Why these steps and not `cf push` (cloudfoundry/cli v8.9.1):
 *   - cf push cannot stage without deploying: --no-start with --strategy is refused
 *     (command/v7/push_command.go ArgumentCombinationError), and --no-start on a running app
 *     stops it (actor/v7pushaction/sequence.go ShouldStopApplication);
 *   - cf run-task has no droplet option (command/v7/run_task_command.go) and runs on the app's
 *     current droplet; the v3 API's POST /v3/apps/:guid/tasks takes droplet_guid ("the droplet
 *     used to run the command; defaults to the app's current droplet"): cf curl;
 *   - cf push --droplet cannot be used with a manifest that has path or buildpacks
 *     (actor/v7pushaction/handle_droplet_path_override.go), and ours has both.
 * So, per app:
 *   1. cf apply-manifest with this app alone (a manifest narrowed to it): its new environment,
 *      bindings and scale, which running instances take only when they start again;
 *   2. cf create-package APP -p . and cf stage-package APP --package-guid P: the new droplet D;
 *   3. the task on D with the app's new environment (cf curl POST /v3/apps/GUID/tasks), polled
 *      with cf curl /v3/tasks/T until SUCCEEDED or FAILED, then its lines from cf logs --recent;
 *      FAILED stops here: no instance ever ran D, the old droplet keeps serving;
 *   4. cf set-droplet APP D and cf restart APP --strategy rolling (or canary, then cf
 *      continue-deployment): a deployment of exactly the droplet the task ran on.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const YAML = require('yaml');
const { ROOT } = require('../../lib/run');
const { makeShell } = require('../../lib/shell');
const { Failure } = require('../../lib/failure');

/** @typedef {import('../types').Shell} Shell */
/** @typedef {import('../../lib/steps').Step} Step */

/** How long a release task may take, and how often it is asked about. */
const TASK_LIMIT_MS = 30 * 60_000;
const POLL_MS = 2_000;

/** Whether an app ships a release task. @param {string} app */
const hasReleaseTask = (app) => fs.existsSync(path.join(ROOT, 'apps', app, 'src', 'release.ts'));

/** manifest.yml with only `app` in it (its ((vars)) as they are), in a temp folder; and how to remove it. @param {string} app */
function narrowedManifest(app) {
  const doc = YAML.parseDocument(fs.readFileSync(path.join(ROOT, 'manifest.yml'), 'utf8'));
  const applications = doc.get('applications');
  if (!YAML.isSeq(applications)) throw new Failure('manifest.yml has no applications list');
  applications.items = applications.items.filter((item) => YAML.isMap(item) && item.get('name') === app);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cf-release-'));
  const file = path.join(dir, `manifest-${app}.yml`);
  fs.writeFileSync(file, doc.toString({ lineWidth: 0 }));
  return { file, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** The first match of `pattern` in a command's output, or a Failure naming what was expected. @param {string} output @param {RegExp} pattern @param {string} what */
function found(output, pattern, what) {
  const match = pattern.exec(output);
  if (!match?.[1]) throw new Failure(`cf did not say ${what}`);
  return match[1];
}

/**
 * The release task of `app` and, when it passes, the deployment of its droplet.
 * @param {{ space: string, app: string, version: string, strategy: string }} release
 * @param {{ shell: Shell, say: (line: string) => void, sleep?: (ms: number) => Promise<void> }} io
 */
async function releaseWithTask(
  { space, app, version, strategy },
  { shell, say, sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms)) },
) {
  const dry = shell.dryRun;
  const manifest = dry ? { file: `<manifest.yml with ${app} alone>`, remove: () => undefined } : narrowedManifest(app);
  try {
    await shell.read(['cf', 'target', '-s', space], `cf could not target space ${space}`);
    await shell.run({
      argv: ['cf', 'apply-manifest', '-f', manifest.file, '--vars-file', `vars/${space}.yml`, '--var', `version=${version}`],
      why: `cf apply-manifest for ${app} failed (see above); ${app} keeps serving its current release`,
    });
  } finally {
    manifest.remove();
  }
  const packaged = await shell.read(['cf', 'create-package', app, '-p', '.'], `cf create-package ${app} failed`);
  const packageGuid =
    packaged === undefined ? '<package guid>' : found(packaged, /Package with guid '([0-9a-f-]{36})'/, `the guid of the package of ${app}`);
  const staged = await shell.read(['cf', 'stage-package', app, '--package-guid', packageGuid], `staging ${app} failed`);
  const droplet = staged === undefined ? '<droplet guid>' : found(staged, /droplet guid:\s+([0-9a-f-]{36})/, `the droplet guid of ${app}`);
  const appGuid = (await shell.read(['cf', 'app', app, '--guid'], `cf has no app ${app}`))?.trim() ?? `<guid of ${app}>`;
  const name = `release-${version}`;
  const body = JSON.stringify({ command: `node apps/${app}/dist/release.js`, name, droplet_guid: droplet });
  const created = await shell.read(
    ['cf', 'curl', '-X', 'POST', `/v3/apps/${appGuid}/tasks`, '-d', body],
    `the release task of ${app} could not start`,
  );
  const taskGuid =
    created === undefined ? '<task guid>' : found(created, /"guid":\s*"([0-9a-f-]{36})"/, `the guid of the release task of ${app}`);
  if (!dry) say(`release task ${name} of ${app} runs on droplet ${droplet}`);
  /** @type {{ state?: string, result?: { failure_reason?: string } }} */
  let task = {};
  const started = Date.now();
  for (;;) {
    const answer = await shell.read(['cf', 'curl', `/v3/tasks/${taskGuid}`], `cf could not tell the state of the release task of ${app}`);
    if (answer === undefined) break;
    task = JSON.parse(answer);
    if (task.state === 'SUCCEEDED' || task.state === 'FAILED') break;
    if (Date.now() - started > TASK_LIMIT_MS)
      throw new Failure(
        `the release task of ${app} did not end within ${TASK_LIMIT_MS / 60_000} minutes; ${app} keeps serving its current release`,
      );
    await sleep(POLL_MS);
  }
  const logs = await shell.read(['cf', 'logs', app, '--recent'], `cf could not read the logs of ${app}`);
  for (const line of (logs ?? '').split('\n').filter((candidate) => candidate.includes(`[APP/TASK/${name}/`))) say(line.trim());
  if (task.state === 'FAILED')
    throw new Failure(
      `the release task of ${app} failed (${task.result?.failure_reason ?? 'no reason given'}): ${app} keeps serving its current release (its new manifest waits for a restart)`,
    );
  await shell.run({
    argv: ['cf', 'set-droplet', app, droplet],
    why: `cf set-droplet ${app} failed (see above); ${app} keeps serving its current release`,
  });
  await shell.run({
    argv: ['cf', 'restart', app, '--strategy', strategy],
    why: `cf restart ${app} failed: its ${strategy} deployment did not complete (see above)`,
  });
  if (strategy === 'canary')
    await shell.run({ argv: ['cf', 'continue-deployment', app], why: `cf continue-deployment ${app} failed (see above)` });
}

/**
 * The step of scripts/push that runs this for `app` (a program of its own, so a push's steps
 * stay commands); its dry run prints the cf commands themselves.
 * @param {string} space @param {string} app @param {string} version @param {string} strategy @param {string} why
 * @returns {Step & { dryRun: () => Promise<string[]> }}
 */
function releaseTaskStep(space, app, version, strategy, why) {
  return {
    argv: ['node', 'scripts/targets/cf/release-task.js', space, app, version, '--strategy', strategy],
    why,
    async dryRun() {
      /** @type {string[]} */
      const lines = [];
      await releaseWithTask(
        { space, app, version, strategy },
        { shell: makeShell({ dryRun: true, say: () => undefined, print: (line) => lines.push(line) }), say: () => undefined },
      );
      // The push has targeted the space already.
      return lines.slice(1);
    },
  };
}

async function main() {
  const usage = 'usage: node scripts/targets/cf/release-task.js <space> <app> <version> [--strategy rolling|canary] [--dry-run]';
  const args = process.argv.slice(2);
  if (args.includes('-h') || args.includes('--help')) return void process.stdout.write(`${usage}\n`);
  const dryRun = args.includes('--dry-run');
  const at = args.indexOf('--strategy');
  const strategy = at === -1 ? 'rolling' : args[at + 1];
  const [space, app, version] = args.filter((arg, index) => !arg.startsWith('--') && (at === -1 || index !== at + 1));
  const stop = (/** @type {string} */ line, code = 2) => {
    process.stderr.write(`${code === 2 ? `${usage}\n` : ''}release-task: ${line}\n`);
    process.exit(code);
  };
  if (!space || !app || !version) return stop('which space, app and version?');
  if (!['rolling', 'canary'].includes(strategy ?? '')) return stop(`--strategy takes rolling or canary (got "${strategy}")`);
  if (!/^[a-z0-9][a-z0-9-]*$/.test(app) || !fs.existsSync(path.join(ROOT, 'apps', app))) return stop(`no app ${app} in apps/`);
  const say = (/** @type {string} */ line) => void process.stdout.write(`release-task: ${line}\n`);
  try {
    await releaseWithTask({ space, app, version, strategy: /** @type {string} */ (strategy) }, { shell: makeShell({ dryRun, say }), say });
  } catch (error) {
    if (error instanceof Failure) return stop(error.message, 1);
    throw error;
  }
  return undefined;
}

if (require.main === module) void main();

module.exports = { hasReleaseTask, releaseWithTask, releaseTaskStep };
