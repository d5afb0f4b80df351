/**
 * A one-off task in the tokens app's own environment (scripts/rotate-keys <space> retire
 * <kid> runs it through scripts/run-task): takes a signing key out of service for good.
 * Every app refuses the tokens it signed from the next request on (the kit's token check
 * reads the retired set), push ends their streams (token.key-retired on the bus), and the
 * JWKS stops listing it. The key that signs new tokens cannot be retired: switch first.
 *
 *   node apps/tokens/dist/tasks/retire-key.js <kid>
 *
 * Exit 0 retired (or retired already), 1 refused or the bus unreachable, 2 usage.
 */
import { BUS_BINDING, ConfigError, createLogger, createRedis, loadAppConfig, quitRedis, retireSigningKey, type Redis } from '@bundle/kit';
import { tokensSchema } from '../config';
import { loadTokenKeys } from '../domain/keys';
import { readSecrets } from '../secrets';

const USAGE = 'usage: node apps/tokens/dist/tasks/retire-key.js <kid> [--now]   (the kid of a key that no longer signs tokens)';

export async function retireKey(argv: string[], env: NodeJS.ProcessEnv, say: (line: string) => void): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) {
    say(USAGE);
    return 0;
  }
  const now = argv.includes('--now');
  const [kid, ...extra] = argv.filter((arg) => arg !== '--now');
  if (kid === undefined || kid === '' || kid.startsWith('-') || extra.length > 0) {
    say(`retire-key: ${USAGE}`);
    return 2;
  }
  const { version } = require('../../package.json') as { version: string };
  const config = loadAppConfig(tokensSchema, env, { app: 'tokens', version });
  const keys = await loadTokenKeys(readSecrets(config.settings, config.services).keys, { production: false });
  if (kid === keys.signing.kid) {
    say(`retire-key: ${kid} signs new tokens: switch to a new key first (scripts/rotate-keys <space> switch)`);
    return 1;
  }
  const after = config.settings.previousKeyRetireAfter;
  if (!now && kid === keys.jwks.keys[1]?.kid && after !== '' && Date.parse(after) > Date.now()) {
    say(
      `retire-key: tokens ${kid} signed may be valid until ${after} (TOKEN_PREVIOUS_KEY_RETIRE_AFTER); retiring it now signs out everyone holding one: add --now to do it anyway`,
    );
    return 1;
  }
  const logger = createLogger(config.identity, 'warn');
  const redis = createRedis({ url: config.redis(BUS_BINDING).url, logger, name: BUS_BINDING });
  try {
    // The client fails commands while it is not connected: wait for it, a bounded while.
    if (!(await connected(redis, 5000))) throw new Error('no connection within 5 s');
    const added = await retireSigningKey(redis, kid);
    say(
      added
        ? `retire-key: ${kid} is retired: every app refuses the tokens it signed from now on, and the JWKS no longer lists it`
        : `retire-key: ${kid} was retired already`,
    );
    return 0;
  } catch (error) {
    say(`retire-key: the event bus cannot be reached (${(error as Error).message}); nothing was retired`);
    return 1;
  } finally {
    await quitRedis(redis);
  }
}

function connected(redis: Redis, withinMs: number): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), withinMs);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

if (require.main === module) {
  retireKey(process.argv.slice(2), process.env, (line) => process.stdout.write(`${line}\n`)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`retire-key: ${error instanceof ConfigError ? `config error: ${error.message}` : String(error)}\n`);
      process.exit(1);
    },
  );
}
