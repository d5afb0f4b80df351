import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { ProcessGroup } from './process-group';

export const ROOT = resolve(__dirname, '../../..');

/** The apps of the chat with an HTTP port, in the order they are started. */
export const WEB_APPS = ['users', 'tokens', 'messages', 'push', 'ui'] as const;
export type WebApp = (typeof WEB_APPS)[number];

/**
 * Builds the kit and every workspace to dist/ (incremental: quick when nothing changed),
 * and the web client into a folder of this run's own, so the ui app can start without
 * touching apps/ui/dist/public.
 */
export function buildAll(clientDir: string): void {
  run('tsc -b tsconfig.build.json', [require.resolve('typescript/bin/tsc'), '-b', 'tsconfig.build.json']);
  const script = `require('./apps/ui/scripts/build-client.js').buildClient({ outDir: ${JSON.stringify(clientDir)}, minify: false })
    .catch((error) => { process.stderr.write(String(error && error.stack || error)); process.exit(1); });`;
  run('the web client', ['-e', script]);
}

function run(what: string, args: string[]): void {
  const result = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(`building ${what} failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
}

export interface Chat {
  group: ProcessGroup;
  /** http://127.0.0.1:<port> of each app. */
  url: Record<WebApp, string>;
  /** The service key and the signing key's PEM body: neither may appear in any log line. */
  secrets: string[];
}

/**
 * Starts users, tokens, messages (web and worker), push and ui in one process group, on
 * free ports of 127.0.0.1, wired the way a platform would: all of them on one Redis
 * database (REDIS_URL stands for every binding), JWKS_URL at the tokens app, tokens'
 * USERS_URL at the users app, a service key and a signing key made for this run only.
 * NODE_ENV is production, so nothing falls back to a development default. Nothing of the
 * test's own environment leaks in but PATH.
 */
export async function startChat(options: { redisUrl: string; clientDir: string }): Promise<Chat> {
  const signingKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const serviceKey = randomBytes(24).toString('base64url');

  const base = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    REDIS_URL: options.redisUrl,
    TOKEN_ISSUER: 'urn:chat:tokens',
    TOKEN_AUDIENCE: 'urn:chat:api',
  };
  // Each app binds a port of its own choosing (PORT=0) and says which: a port picked here and
  // bound later by the app could be taken by another process meanwhile. So the apps start in
  // the order their addresses are needed: users, then tokens (USERS_URL), then the rest (JWKS_URL).
  const group = new ProcessGroup([...WEB_APPS, 'messages-worker'], ROOT);
  const url = {} as Record<WebApp, string>;
  const web = async (app: WebApp, env: Record<string, string> = {}): Promise<void> => {
    group.start({ name: app, script: join('apps', app, 'dist', 'main.js'), env: { ...base, PORT: '0', ...env } });
    url[app] = `http://127.0.0.1:${await group.listening(app)}`;
  };
  try {
    // Every journey signs up from 127.0.0.1: the per-address default (5) would refuse the rest.
    await web('users', { SERVICE_KEY: serviceKey, REGISTRATIONS_PER_ADDRESS: '1000' });
    await web('tokens', {
      SERVICE_KEY: serviceKey,
      USERS_URL: url.users,
      TOKEN_SIGNING_KEY: signingKey,
      TOKEN_SIGNING_KEY_ID: 'journey-1',
    });
    const jwks = { JWKS_URL: `${url.tokens}/.well-known/jwks.json` };
    await Promise.all([web('messages', jwks), web('push', jwks), web('ui', { ...jwks, UI_PUBLIC_DIR: options.clientDir })]);
    group.start({ name: 'messages-worker', script: join('apps', 'messages', 'dist', 'worker.js'), env: { ...base, ...jwks } });
    await Promise.all(WEB_APPS.map((app) => group.waitReady(app)));
  } catch (error) {
    await group.stop();
    throw error;
  }
  const pemBody = signingKey.replace(/-----[A-Z ]+-----/g, '').replace(/\s/g, '');
  return { group, url, secrets: [serviceKey, pemBody.slice(40, 80), pemBody.slice(-40)] };
}
