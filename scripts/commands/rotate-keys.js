// @ts-check
/**
 * scripts/rotate-keys <space> switch | retire <kid> [--now] [--target local|cf|heroku] [--dry-run]
 *
 * A signing key rotation in two steps, each a command of its own:
 *   switch  a new key signs every new token from the tokens app's next start; the key it
 *           replaces stays in the JWKS as the previous one, so tokens it signed keep working
 *           until they expire. (Adding the new key before it signs is not needed: every
 *           verifier fetches the JWKS again at once when a token names a kid it lacks.)
 *           Through scripts/env, set-env and a rolling restart of tokens.
 *   retire  once the longest a token lives (TOKEN_TTL_SECONDS) has passed since the switch:
 *           every app refuses what the old key signed from the next request on, push ends
 *           their streams, the JWKS stops listing it. A one-off task in the tokens app's
 *           environment (apps/tokens/dist/tasks/retire-key.js, through scripts/run-task),
 *           which refuses before that time unless --now (it signs out everyone holding one).
 * Key material never reaches a printed line.
 */
const { usageError } = require('@bundle/args');
const { TARGET_OPTION, DRY_RUN_OPTION, parseDayTwo, runDayTwo } = require('./day-two');
const { Failure } = require('../lib/failure');
const { newSigningKey, currentSigningKey } = require('../lib/signing-keys');

/** The tokens app's own default (apps/tokens/src/config.ts): the longest a token lives. */
const DEFAULT_TOKEN_TTL_SECONDS = 3600;

/** @type {import('@bundle/args').Command} */
const COMMAND = {
  name: 'rotate-keys',
  usage: 'usage: scripts/rotate-keys <space> switch|retire <kid> [--now] [--target {targets}] {flags} [--dry-run]',
  about: [
    'Rotates the key the tokens app signs with, in two steps:',
    '  switch        a new key signs new tokens after a rolling restart of tokens; the old one',
    '                still verifies the tokens it signed, until they expire',
    "  retire <kid>  after TOKEN_TTL_SECONDS: every app refuses the old key's tokens at once",
  ].join('\n'),
  positionals: ['<space>  dev, staging, production', 'switch | retire <kid>'],
  maxPositionals: 3,
  options: {
    now: { type: 'boolean', doc: 'retire: before TOKEN_TTL_SECONDS have passed since the switch (signs out whoever holds its tokens)' },
    target: TARGET_OPTION,
    'dry-run': DRY_RUN_OPTION,
  },
};

/** A target's module for another day-two verb (the one parsed is set-env's). @param {string} target @param {string} verb */
function verbOf(target, verb) {
  try {
    return require(`../targets/${target}/${verb}`);
  } catch {
    throw new Failure(`the ${target} target has no ${verb}, which a rotation needs`);
  }
}

/** @param {ReturnType<typeof parseDayTwo>} parsed */
async function switchKeys(parsed) {
  const { space, target, io } = parsed;
  /** @type {import('../targets/types').EnvTarget} */
  const envTarget = verbOf(target, 'env');
  /** @type {import('../targets/types').RestartTarget} */
  const restartTarget = verbOf(target, 'restart');
  /** @type {import('../targets/types').SetEnvTarget} */
  const setEnvTarget = /** @type {any} */ (parsed.module);
  const env = await envTarget.env(space, 'tokens', io);
  let current;
  try {
    current = parsed.dryRun ? { publicJwk: '<the current key, public half>', kid: '<the current kid>' } : await currentSigningKey(env);
  } catch (error) {
    throw new Failure(`tokens in ${space}: ${/** @type {Error} */ (error).message}`);
  }
  if (!current)
    throw new Failure(
      `tokens in ${space} has no signing key configured (each process makes its own): nothing to rotate; scripts/provision ${space} gives it one`,
    );
  const next = await newSigningKey();
  const ttl = Number(env.TOKEN_TTL_SECONDS || DEFAULT_TOKEN_TTL_SECONDS);
  const retireAfter = new Date(Date.now() + ttl * 1000).toISOString();
  await setEnvTarget.setEnv(
    space,
    'tokens',
    {
      TOKEN_SIGNING_KEY: next.privateJwk,
      TOKEN_SIGNING_KEY_ID: next.kid,
      TOKEN_PREVIOUS_PUBLIC_KEY: current.publicJwk,
      TOKEN_PREVIOUS_KEY_ID: current.kid,
      TOKEN_PREVIOUS_KEY_RETIRE_AFTER: retireAfter,
    },
    io,
  );
  if (!setEnvTarget.appliesAtOnce) await restartTarget.restart(space, 'tokens', io);
  if (parsed.dryRun) return;
  io.say(`tokens in ${space} signs with ${next.kid} now; ${current.kid} still verifies the tokens it signed`);
  io.say(`after ${retireAfter} (TOKEN_TTL_SECONDS, ${ttl} s): scripts/rotate-keys ${space} retire ${current.kid} --target ${target}`);
}

/** @param {ReturnType<typeof parseDayTwo>} parsed @param {string} kid @param {boolean} now */
async function retire(parsed, kid, now) {
  /** @type {import('../targets/types').RunTaskTarget} */
  const runTask = verbOf(parsed.target, 'run-task');
  const command = ['node', 'apps/tokens/dist/tasks/retire-key.js', kid, ...(now ? ['--now'] : [])];
  const code = await runTask.runTask(parsed.space, { app: 'tokens', name: 'retire-key', command, line: command.join(' ') }, parsed.io);
  if (code !== 0) process.exitCode = code;
}

async function main() {
  const parsed = parseDayTwo(process.argv.slice(2), COMMAND, 'set-env', 'rotate-keys');
  const [step, kid, ...extra] = parsed.rest;
  const now = parsed.values.now === true;
  if (step === 'switch') {
    if (kid !== undefined) usageError(parsed.command, 'switch takes no kid: it makes the new key itself');
    if (now) usageError(parsed.command, '--now is for retire');
  } else if (step === 'retire') {
    if (kid === undefined) usageError(parsed.command, 'retire which key? give its kid, e.g. scripts/rotate-keys dev retire 3k9...');
    if (!/^[A-Za-z0-9_.-]{1,100}$/.test(kid)) usageError(parsed.command, `"${kid}" is not a kid (letters, digits, _ . -)`);
  } else {
    usageError(parsed.command, step === undefined ? 'switch or retire?' : `unknown step "${step}" (switch or retire)`);
  }
  if (extra.length > 0) usageError(parsed.command, `unexpected argument ${extra[0]}`);
  await runDayTwo(parsed, 'rotate-keys', () => (step === 'switch' ? switchKeys(parsed) : retire(parsed, /** @type {string} */ (kid), now)));
}

void main();
