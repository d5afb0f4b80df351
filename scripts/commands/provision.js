// @ts-check
/**
 * scripts/provision <space> --target cf|heroku [--otlp-endpoint URL [--otlp-headers K=V,...]] [--dry-run]
 * Creates, once, what a space needs before its first push: on Cloud Foundry every service
 * instance manifest.yml binds (targets/cf/provision.js), on Heroku the apps, their pipeline,
 * Redis, config vars and buildpacks (targets/heroku/provision.js). Each item is checked first
 * and only what is missing is created, so a second run changes nothing and says so.
 * Secrets (the service key, the token signing key) are generated here and never printed;
 * --dry-run prints every check and what it would run, with <generated> in their place.
 */
const { fail } = require('../lib/run');
const { display, onPath, firstLine } = require('../lib/steps');
const { runQuiet, runItem } = require('../lib/provision-items');
const { parseVerb } = require('../targets');

/** @typedef {import('../targets/types').ProvisionTarget} ProvisionTarget */

/** @type {import('@bundle/args').Command} */
const COMMAND = {
  usage: 'usage: scripts/provision <space> --target {targets} {flags} [--dry-run]',
  about: [
    'Creates what <space> needs before its first push, checking each item first, so running it',
    'again changes nothing. On cf: the Redis instances (offering and plan from vars/<space>.yml),',
    'the PostgreSQL instances (postgres_offering and postgres_plan) and the user-provided services',
    'service-credentials and token-keys. On heroku: the apps (heroku.json), the pipeline, one Redis',
    "add-on attached under each binding's name, a Heroku Postgres add-on (postgres_plan) for each app",
    'with PostgreSQL, config vars (a generated SERVICE_KEY and signing key) and buildpacks. With --otlp-endpoint: telemetry',
    'over OTLP for every app (cf: the otel user-provided service, bound to each app; heroku: the',
    'OTEL_EXPORTER_OTLP_* config vars).',
  ].join('\n'),
  positionals: ['<space>  staging, production (a vars/<space>.yml)'],
  maxPositionals: 1,
  options: {
    target: { type: 'string', value: '{targets}', doc: 'the platform to create it on' },
    'dry-run': { type: 'boolean', doc: 'print each check and what it would run; secrets show as <generated>' },
  },
};

/** @param {string} line */
const say = (line) => process.stdout.write(`provision: ${line}\n`);

async function main() {
  const parsed = parseVerb(process.argv.slice(2), COMMAND, 'provision', {});
  const provisioner = /** @type {ProvisionTarget} */ (parsed.module);
  const options = { space: parsed.space, target: parsed.target, dryRun: parsed.values['dry-run'] === true };
  const items = provisioner.items(options.space, { dryRun: options.dryRun, values: parsed.values });
  if (options.dryRun) {
    for (const item of items) {
      if (item.setup) {
        process.stdout.write(`# ${item.what}\n${display(item.check)}\n`);
        continue;
      }
      // What a first run does: the check finds nothing, so every step of the plan runs.
      const steps = item.plan({ code: 1, output: '' });
      process.stdout.write(
        `# ${item.what} (checked with: ${display(item.check)})\n${steps.map((step) => `${step.shown ?? display(step.argv)}\n`).join('')}`,
      );
    }
    return undefined;
  }
  if (!onPath(provisioner.tool)) return fail(`${provisioner.tool} is not installed: ${provisioner.install}`);
  const login = await runQuiet(provisioner.login.check);
  if (login.code !== 0) return fail(`${provisioner.tool} is not logged in (${provisioner.login.how}): ${firstLine(login.output)}`);

  let created = 0;
  let existed = 0;
  for (const item of items) {
    const result = await runItem(item, say);
    if (result.failure) return fail(`${item.what}: ${result.failure}`);
    if (result.ran === 0) existed += 1;
    else if (result.ran > 0) created += 1;
  }
  say(
    created === 0
      ? `${options.space} on ${options.target}: nothing to change, all ${existed} items exist`
      : `${options.space} on ${options.target}: ${created} created or completed, ${existed} already there`,
  );
  return undefined;
}

void main();
