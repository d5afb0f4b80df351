import { readFileSync } from 'node:fs';
import Router from '@koa/router';

/** Reads an app's openapi.yaml once; tests compare its paths with the app's routes. */
export function loadOpenApi(yamlPath: string): Record<string, unknown> {
  // Loaded on first use: the YAML parser is several MB of resident memory that an app
  // without an OpenAPI document (bench/kit) never needs.
  const { parse } = require('yaml') as typeof import('yaml');
  return parse(readFileSync(yamlPath, 'utf8')) as Record<string, unknown>;
}

/** GET /openapi.json: the app's HTTP contract, as written in its openapi.yaml. */
export function openApiRouter(document: Record<string, unknown>): Router {
  const router = new Router();
  router.get('/openapi.json', (ctx) => {
    ctx.body = document;
  });
  return router;
}
