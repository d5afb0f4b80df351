import { relative } from 'node:path';
import { ownType, procfilePorts, processTypes, readProcfile, type ProcfileEnv } from './procfile-ports';
import { fail } from './common';

/**
 * Preloaded by the Procfile's app lines (`node -r ./packages/platform/dist/cli/procfile-env.js
 * apps/users/dist/main.js`): replaces `{port:<type>}` in every environment value with the
 * port the Procfile runner gives that process type, before the app reads its config. So
 * .env.example can say USERS_URL=http://127.0.0.1:{port:router} and work at any base port
 * (`heroku local` starts at 5006, foreman at 5000, -p N anywhere). Values without a
 * placeholder are left alone, so the same lines work under the local platform too.
 */
const PLACEHOLDER = /\{port:([A-Za-z0-9_-]+)\}/g;
const HAS_PLACEHOLDER = /\{port:[A-Za-z0-9_-]+\}/;

export function expandPorts(env: ProcfileEnv, scriptPath: string | undefined, cwd = process.cwd()): void {
  const names = Object.keys(env).filter((name) => HAS_PLACEHOLDER.test(env[name] ?? ''));
  if (names.length === 0) return;
  let procfile: { path: string; text: string };
  try {
    procfile = readProcfile(env, cwd);
  } catch (error) {
    return fail('procfile-env', `${names.join(', ')} name {port:<type>}: ${(error as Error).message}`);
  }
  // Without the runner's name for this process, its line is the one that runs this script.
  const script = scriptPath ? relative(cwd, scriptPath) : undefined;
  const byScript = processTypes(procfile.text).find((entry) => script !== undefined && entry.command.split(/\s+/).includes(script))?.type;
  const self = ownType(env, byScript);
  const port = /^\d+$/.test(env.PORT ?? '') ? Number(env.PORT) : undefined;
  if (self === undefined || port === undefined)
    fail(
      'procfile-env',
      `${names.join(', ')} name {port:<type>}, which needs PORT and this process's type (FOREMAN_WORKER_NAME or PS, as Procfile runners set)`,
    );
  const ports = procfilePorts(procfile.text, self, port);
  if (typeof ports === 'string') fail('procfile-env', `${procfile.path}: ${ports}`);
  for (const name of names) {
    env[name] = (env[name] ?? '').replace(PLACEHOLDER, (whole, type: string) => {
      const found = ports.get(type);
      if (found === undefined) fail('procfile-env', `${name}: no process type "${type}" in ${procfile.path}`);
      return String(found);
    });
  }
}

expandPorts(process.env, process.argv[1]);
