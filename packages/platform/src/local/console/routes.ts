/** One operation of an app's OpenAPI document, as the console lists it. */
export interface AppRoute {
  method: string;
  path: string;
  summary?: string;
  operationId?: string;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** The operations of an OpenAPI 3 document (what each app serves at /openapi.json), path by path. */
export function routesOf(document: unknown): AppRoute[] {
  const paths = (document as { paths?: Record<string, Record<string, unknown>> } | null)?.paths;
  if (!paths || typeof paths !== 'object') return [];
  const routes: AppRoute[] = [];
  for (const [path, item] of Object.entries(paths)) {
    for (const method of METHODS) {
      const operation = item?.[method] as { summary?: unknown; operationId?: unknown } | undefined;
      if (!operation || typeof operation !== 'object') continue;
      routes.push({
        method: method.toUpperCase(),
        path,
        ...(typeof operation.summary === 'string' ? { summary: operation.summary } : {}),
        ...(typeof operation.operationId === 'string' ? { operationId: operation.operationId } : {}),
      });
    }
  }
  return routes;
}

/**
 * An app's routes, asked of one of its instances on its own port (the kit serves the
 * document at /openapi.json); undefined when it has none or does not answer in time.
 */
export async function fetchRoutes(port: number, timeoutMs = 1000): Promise<AppRoute[] | undefined> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/openapi.json`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) return undefined;
    return routesOf(await response.json());
  } catch {
    return undefined;
  }
}
