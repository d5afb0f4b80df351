// @ts-check
/**
 * scripts/scale <space> <app> [-i <N>] [-m <size>] [--process <type>] [--target local|cf|heroku] [--dry-run]
 * Sets how many instances of an app's process run, and their memory, live: no request fails
 * while instances come and go. Local: the running space adds or drains instances; cf: cf
 * scale (memory: a rolling restart at the new size, see targets/cf/scale.js); heroku: heroku
 * ps:scale (a dyno's memory is its size: -m is not for heroku).
 */
const { usageError } = require('@bundle/args');
const { TARGET_OPTION, DRY_RUN_OPTION, parseDayTwo, checkApp, runDayTwo } = require('./day-two');

/** @typedef {import('../targets/types').ScaleTarget} ScaleTarget */

/** @type {import('@bundle/args').Command} */
const COMMAND = {
  usage: 'usage: scripts/scale <space> <app> [-i <N>] [-m <size>] [--process <type>] [--target {targets}] {flags} [--dry-run]',
  about:
    "Sets how many instances of <app>'s process run (-i) and their memory limit (-m), without a\nfailed request while instances come and go.",
  positionals: ['<space>  dev, staging, production', '<app>    an app of manifest.yml'],
  maxPositionals: 2,
  options: {
    instances: { type: 'string', short: 'i', value: '<N>', doc: 'how many instances (0 stops them all)' },
    memory: { type: 'string', short: 'm', value: '<size>', doc: 'memory limit per instance, as cf takes it: 256M, 1G' },
    process: { type: 'string', value: '<type>', doc: "which of the app's processes (default web; messages also has worker)" },
    target: TARGET_OPTION,
    'dry-run': DRY_RUN_OPTION,
  },
};

/**
 * A size as cf takes it (an integer with a unit M, MB, G or GB; cloudfoundry/cli
 * command/flag/megabytes.go ConvertToMb), normalised to "256M" / "1G", and in megabytes.
 * @param {string} text @returns {{ text: string, megabytes: number } | undefined}
 */
function parseMemory(text) {
  const match = /^(\d+)\s*([MG])B?$/i.exec(text.trim());
  if (!match) return undefined;
  const amount = Number(match[1]);
  const unit = /** @type {string} */ (match[2]).toUpperCase();
  return amount > 0 ? { text: `${amount}${unit}`, megabytes: amount * (unit === 'G' ? 1024 : 1) } : undefined;
}

async function main() {
  const parsed = parseDayTwo(process.argv.slice(2), COMMAND, 'scale');
  const { instances, memory, process: processType } = parsed.values;
  if (instances === undefined && memory === undefined) usageError(parsed.command, 'nothing to scale: give -i <N>, -m <size> or both');
  if (typeof instances === 'string' && !/^\d{1,4}$/.test(instances))
    usageError(parsed.command, `-i takes a whole number of instances, 0 or more (got "${instances}")`);
  const size = typeof memory === 'string' ? parseMemory(memory) : undefined;
  if (typeof memory === 'string' && !size) usageError(parsed.command, `-m takes a size with a unit, e.g. 256M or 1G (got "${memory}")`);
  const spec = checkApp(parsed, parsed.rest[0]);
  const app = spec?.name ?? /** @type {string} */ (parsed.rest[0]);
  const type = typeof processType === 'string' ? processType : 'web';
  if (spec && !spec.processes.some((candidate) => candidate.type === type))
    usageError(
      parsed.command,
      `${app} has no process ${type} (its processes: ${spec.processes.map((candidate) => candidate.type).join(', ')})`,
    );
  const target = /** @type {ScaleTarget} */ (parsed.module);
  /** @type {import('../targets/types').Scale} */
  const scale = {
    app,
    process: type,
    ...(typeof instances === 'string' ? { instances: Number(instances) } : {}),
    ...(size ? { memory: size } : {}),
  };
  await runDayTwo(parsed, 'scale', async () => {
    await target.scale(parsed.space, scale, parsed.io);
    if (parsed.dryRun) return;
    const what = [
      ...(scale.instances === undefined ? [] : [`${scale.instances} instance${scale.instances === 1 ? '' : 's'}`]),
      ...(scale.memory ? [`${scale.memory.text} each`] : []),
    ];
    parsed.io.say(`${app} ${type} in ${parsed.space} (${parsed.target}) runs ${what.join(', ')}`);
  });
}

void main();
