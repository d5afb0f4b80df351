import type { IncomingMessage, ServerResponse } from 'node:http';
import { ManifestError, PlatformError } from '../manifest/errors';
import { appEnvironment, setAppEnvironment } from './app-env';
import { restartApps, scaleApp, type ScaleRequest } from './restart';
import { createService } from './services';
import type { Space } from './space';
import { runTask, type TaskRequest } from './task';

/**
 * The day-two routes of the supervisor's control channel (control.ts hands them every
 * request it does not answer itself):
 *   POST /restart {app?}                         rolling restart (restart.ts)
 *   POST /scale {app, process?, instances?, memoryMb?}
 *   GET  /env?app=                               the environment an instance runs with (app-env.ts)
 *   POST /env {app, vars}                        set-env, for the next start
 *   POST /services {name, knownOnly?}            create-service: {result: created | exists | unknown}
 *   POST /tasks {app, name, line}                run-task: ndjson, a {record} per line, then {exit}
 * Answers true when the route was one of these.
 */
export async function dayTwoRoute(space: Space, req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
  const route = `${req.method ?? ''} ${url.pathname}`;
  const answer = async (work: () => unknown): Promise<boolean> => {
    try {
      send(res, 200, await work());
    } catch (error) {
      const known = error instanceof ManifestError || error instanceof PlatformError;
      send(res, known ? 409 : 500, { error: { code: 'failed', message: (error as Error).message } });
    }
    return true;
  };
  switch (route) {
    case 'POST /restart': {
      const body = (await readJson(req)) as { app?: string };
      return answer(() => restartApps(space, body.app));
    }
    case 'POST /scale': {
      const body = (await readJson(req)) as ScaleRequest;
      return answer(() => scaleApp(space, body));
    }
    case 'GET /env':
      return answer(() => ({ env: appEnvironment(space, url.searchParams.get('app') ?? '') }));
    case 'POST /env': {
      const body = (await readJson(req)) as { app: string; vars: Record<string, string> };
      return answer(() => setAppEnvironment(space, body.app, body.vars ?? {}) ?? { stored: Object.keys(body.vars ?? {}) });
    }
    case 'POST /services': {
      const body = (await readJson(req)) as { name: string; knownOnly?: boolean };
      return answer(() => ({ result: createService(space, body.name, { knownOnly: body.knownOnly === true }) }));
    }
    case 'POST /tasks':
      await task(space, (await readJson(req)) as TaskRequest, res);
      return true;
    default:
      return false;
  }
}

/** The task's lines as they come, then its exit code; the caller leaving ends the task. */
async function task(space: Space, request: TaskRequest, res: ServerResponse): Promise<void> {
  let running;
  try {
    running = await runTask(space, request, (record) => res.write(`${JSON.stringify({ record })}\n`));
  } catch (error) {
    const known = error instanceof ManifestError || error instanceof PlatformError;
    return send(res, known ? 409 : 500, { error: { code: 'failed', message: (error as Error).message } });
  }
  res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  res.flushHeaders();
  res.on('close', () => running.stop());
  const exit = await running.exited;
  res.end(`${JSON.stringify({ exit })}\n`);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body ?? {});
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text === '' ? {} : (JSON.parse(text) as unknown);
}
