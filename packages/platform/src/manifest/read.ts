import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { ManifestError } from './errors';
import { APP_LEVEL_KEYS, DEPRECATED, PROCESS_LEVEL_KEYS, ROUTE_KEYS, SERVICE_KEYS, TOP_LEVEL_KEYS } from './keys';
import { parseSize } from './size';
import { isMap, isScalar, isSeq, parseYaml, type YamlSource } from './source';
import { INTERNAL_DOMAIN, type AppSpec, type HealthCheck, type Manifest, type ProcessSpec, type Route } from './types';
import { interpolate, readVarsFile, shownPath, varsIn, type Vars } from './vars';

export interface ReadManifestOptions {
  /** Paths in messages are shown relative to this (default: the manifest's folder). */
  root?: string;
  /** Read in order, later files winning, like repeated `--vars-file`. */
  varsFiles?: string[];
  /** Like `--var name=value`: beats the files. */
  vars?: Vars;
  /** The files `vars` came from, when the caller read them itself (for messages). */
  varsFrom?: string[];
}

type Entry = { key: string; keyNode: unknown; node: unknown };

/**
 * Reads a Cloud Foundry manifest with its vars into apps the local platform can run.
 * Every problem is a ManifestError with one line naming the place; nothing is started
 * before the whole manifest is known to be good.
 */
export function readManifest(file: string, options: ReadManifestOptions = {}): Manifest {
  const root = options.root ?? dirname(resolve(file));
  const shown = shownPath(root, file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ManifestError(`${shown}: cannot read the manifest (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
  const varsFiles = options.varsFiles ?? [];
  const vars: Vars = Object.assign({}, ...varsFiles.map((varsFile) => readVarsFile(varsFile, root)), options.vars ?? {});
  return parseManifest(text, {
    file: shown,
    base: dirname(resolve(file)),
    vars,
    varsFiles: [...varsFiles, ...(options.varsFrom ?? [])].map((varsFile) => shownPath(root, varsFile)),
  });
}

/** The same from text: `base` is the folder app paths are relative to. */
export function parseManifest(text: string, options: { file: string; base: string; vars?: Vars; varsFiles?: string[] }): Manifest {
  const source = parseYaml(text, options.file);
  const vars = options.vars ?? {};
  assertVarsDefined(source, vars, options.varsFiles ?? []);
  return new Reader(source, vars, options.base).manifest();
}

/** One line for every ((name)) the vars do not define, at the first place it is used. */
function assertVarsDefined(source: YamlSource, vars: Vars, varsFiles: string[]): void {
  const missing = new Map<string, string>();
  const visit = (node: unknown): void => {
    if (isMap(node)) for (const pair of node.items) visit(pair.value);
    else if (isSeq(node)) for (const item of node.items) visit(item);
    else if (isScalar(node) && typeof node.value === 'string') {
      for (const name of varsIn(node.value)) if (!(name in vars) && !missing.has(name)) missing.set(name, source.at(node));
    }
  };
  visit(source.root);
  const [first, ...others] = [...missing.entries()];
  if (!first) return;
  const from = varsFiles.length > 0 ? `in ${varsFiles.join(', ')}` : '(no vars file given)';
  const more = others.length > 0 ? ` (also missing: ${others.map(([name]) => name).join(', ')})` : '';
  throw new ManifestError(`${first[1]}: ((${first[0]})) is not defined ${from}${more}`);
}

class Reader {
  private readonly missing = new Set<string>();
  private readonly routeNodes = new Map<Route, unknown>();

  constructor(
    private readonly source: YamlSource,
    private readonly vars: Vars,
    private readonly base: string,
  ) {}

  manifest(): Manifest {
    const top = this.entries(this.source.root, 'the manifest', TOP_LEVEL_KEYS);
    const applications = top.find((entry) => entry.key === 'applications');
    if (!applications || !isSeq(applications.node) || applications.node.items.length === 0) {
      throw this.error(applications?.node ?? this.source.root, 'expected "applications:" with a list of apps');
    }
    const apps = applications.node.items.map((node) => this.app(node));
    const names = new Set<string>();
    const claimed = new Map<string, string>();
    applications.node.items.forEach((node, index) => {
      const app = apps[index] as AppSpec;
      if (names.has(app.name)) throw this.error(node, `two apps are named "${app.name}"`);
      names.add(app.name);
      for (const route of app.routes) {
        const key = `${route.host}${route.path}`;
        const owner = claimed.get(key);
        if (owner !== undefined)
          throw this.error(this.routeNodes.get(route), `route ${route.route} is claimed by both ${owner} and ${app.name}`);
        claimed.set(key, app.name);
      }
    });
    return { file: this.source.file, apps };
  }

  private app(node: unknown): AppSpec {
    const entries = this.entries(node, 'an app', APP_LEVEL_KEYS);
    const get = (key: string): Entry | undefined => entries.find((entry) => entry.key === key);
    const name = this.string(get('name'), node, 'name');
    const label = `app ${name}`;
    const pathEntry = get('path');
    const path = resolve(this.base, pathEntry ? this.string(pathEntry, node, 'path') : '.');
    if (!existsSync(path) || !statSync(path).isDirectory()) {
      throw this.error(pathEntry?.node ?? node, `${label}: path ${relative(this.base, path) || '.'} does not exist`);
    }
    const processes = this.processes(entries, get('processes'), label);
    return {
      name,
      path,
      buildpacks: get('buildpacks') ? this.strings(get('buildpacks') as Entry, 'buildpacks') : [],
      env: this.env(get('env')),
      services: this.services(get('services')),
      routes: this.routes(get('routes'), label),
      processes,
    };
  }

  /** App-level process keys describe `web`; `processes:` adds types (and may refine web). */
  private processes(appEntries: Entry[], list: Entry | undefined, label: string): ProcessSpec[] {
    const declared = new Map<string, Entry[]>();
    if (list) {
      if (!isSeq(list.node)) throw this.error(list.node, `${label}: processes is a list of {type, command, ...}`);
      for (const node of list.node.items) {
        const entries = this.entries(node, 'a process', PROCESS_LEVEL_KEYS);
        const type = this.string(
          entries.find((entry) => entry.key === 'type'),
          node,
          'type',
        );
        if (declared.has(type)) throw this.error(node, `${label}: process type ${type} is listed twice`);
        declared.set(type, entries);
      }
    }
    const webEntries = [...appEntries.filter((entry) => PROCESS_LEVEL_KEYS.has(entry.key)), ...(declared.get('web') ?? [])];
    const hasWeb = webEntries.some((entry) => entry.key === 'command') || !declared.size;
    const specs: ProcessSpec[] = [];
    if (hasWeb) specs.push(this.process('web', webEntries, `${label} (web)`, appEntries[0]?.keyNode));
    for (const [type, entries] of declared)
      if (type !== 'web') specs.push(this.process(type, entries, `${label} (${type})`, entries[0]?.keyNode));
    return specs;
  }

  private process(type: string, entries: Entry[], label: string, near: unknown): ProcessSpec {
    // Later entries (a `processes:` web entry) win over app-level ones.
    const get = (key: string): Entry | undefined => entries.filter((entry) => entry.key === key).pop();
    const command = get('command');
    if (!command) throw this.error(near, `${label}: no command (the local platform runs exactly the manifest's command)`);
    return {
      type,
      command: this.string(command, near, 'command'),
      instances: this.integer(get('instances'), 1, 0, label),
      memoryMb: this.size(get('memory'), 1024, label),
      diskMb: this.size(get('disk_quota'), 1024, label),
      timeout: this.integer(get('timeout'), 60, 1, label),
      health: this.check(get, '', label, type === 'web' ? 'port' : 'process'),
      readiness: this.check(get, 'readiness-', label, 'process'),
    };
  }

  private check(get: (key: string) => Entry | undefined, prefix: string, label: string, fallback: HealthCheck['type']): HealthCheck {
    const typeEntry = get(`${prefix}health-check-type`);
    const type = typeEntry ? this.value(typeEntry.node) : fallback;
    if (type !== 'http' && type !== 'port' && type !== 'process' && type !== 'none') {
      throw this.error(typeEntry?.node, `${label}: ${prefix}health-check-type must be http, port or process, not ${JSON.stringify(type)}`);
    }
    const endpointEntry = get(`${prefix}health-check-http-endpoint`);
    const endpoint = endpointEntry ? this.string(endpointEntry, endpointEntry.node, `${prefix}health-check-http-endpoint`) : '/';
    if (!endpoint.startsWith('/')) throw this.error(endpointEntry?.node, `${label}: ${prefix}health-check-http-endpoint must start with /`);
    const intervalEntry = get(`${prefix}health-check-interval`);
    return {
      type,
      endpoint,
      invocationTimeout: this.integer(get(`${prefix}health-check-invocation-timeout`), 1, 1, label),
      interval: intervalEntry ? this.integer(intervalEntry, 30, 1, label) : undefined,
    };
  }

  private routes(entry: Entry | undefined, label: string): Route[] {
    if (!entry) return [];
    if (!isSeq(entry.node)) throw this.error(entry.node, `${label}: routes is a list of "- route: host.domain/path"`);
    const routes: Route[] = [];
    for (const node of entry.node.items) {
      const fields = this.entries(node, 'a route', ROUTE_KEYS);
      const text = this.string(
        fields.find((field) => field.key === 'route'),
        node,
        'route',
      );
      const match = /^([a-z0-9*]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)(:\d+)?(\/[^?#\s]*)?$/i.exec(text);
      if (!match) throw this.error(node, `${label}: route "${text}" is not host.domain[/path]`);
      const host = (match[1] ?? '').toLowerCase();
      const internal = host.endsWith(`.${INTERNAL_DOMAIN}`);
      // Cloud Foundry's internal routes are a host and nothing more: the caller names the app's port itself.
      if (internal && (match[5] !== undefined || match[6] !== undefined))
        throw this.error(
          node,
          `${label}: route "${text}" is on the internal domain ${INTERNAL_DOMAIN}, where a route is a host only (no port, no path)`,
        );
      const route = { route: text, host, path: (match[6] ?? '').replace(/\/+$/, ''), internal };
      if (routes.some((other) => other.host === route.host && other.path === route.path))
        throw this.error(node, `${label}: route ${text} is listed twice`);
      routes.push(route);
      this.routeNodes.set(route, node);
    }
    return routes;
  }

  private services(entry: Entry | undefined): string[] {
    if (!entry) return [];
    if (!isSeq(entry.node)) throw this.error(entry.node, 'services is a list of service instance names');
    return entry.node.items.map((node) => {
      if (isMap(node))
        return this.string(
          this.entries(node, 'a service', SERVICE_KEYS).find((field) => field.key === 'name'),
          node,
          'name',
        );
      const name = this.value(node);
      if (typeof name !== 'string' || name === '') throw this.error(node, 'a service is a name or {name, parameters, binding_name}');
      return name;
    });
  }

  private env(entry: Entry | undefined): Record<string, string> {
    const env: Record<string, string> = {};
    if (!entry) return env;
    for (const field of this.entries(entry.node, 'env', undefined)) {
      const value = this.value(field.node);
      if (value !== null && typeof value === 'object')
        throw this.error(field.node, `env ${field.key}: a value is text, a number or a boolean`);
      env[field.key] = value === null || value === undefined ? '' : String(value);
    }
    return env;
  }

  private size(entry: Entry | undefined, fallback: number, label: string): number {
    if (!entry) return fallback;
    const value = this.value(entry.node);
    const megabytes = parseSize(value);
    if (megabytes === undefined)
      throw this.error(entry.node, `${label}: ${entry.key} ${JSON.stringify(value)} is not a size (e.g. 128M, 1G)`);
    return megabytes;
  }

  private integer(entry: Entry | undefined, fallback: number, min: number, label: string): number {
    if (!entry) return fallback;
    const value = this.value(entry.node);
    const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isInteger(number) || number < min) {
      throw this.error(entry.node, `${label}: ${entry.key} must be a whole number of at least ${min}, not ${JSON.stringify(value)}`);
    }
    return number;
  }

  private string(entry: Entry | undefined, near: unknown, key: string): string {
    if (!entry) throw this.error(near, `missing "${key}"`);
    const value = this.value(entry.node);
    if (typeof value !== 'string' || value === '') throw this.error(entry.node, `"${key}" must be non-empty text`);
    return value;
  }

  private strings(entry: Entry, key: string): string[] {
    if (!isSeq(entry.node)) throw this.error(entry.node, `"${key}" is a list`);
    return entry.node.items.map((node) => {
      const value = this.value(node);
      if (typeof value !== 'string') throw this.error(node, `"${key}" lists names`);
      return value;
    });
  }

  /** A map's entries, refusing keys the cf CLI would refuse (none checked when known is undefined). */
  private entries(node: unknown, what: string, known: Set<string> | undefined): Entry[] {
    if (!isMap(node)) throw this.error(node, `expected ${what} to be a map`);
    return node.items.map((pair) => {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (known && !known.has(key)) {
        const replacement = DEPRECATED[key];
        throw this.error(
          pair.key,
          replacement ? `"${key}" is deprecated in ${what}: use ${replacement}` : `unknown key "${key}" in ${what}`,
        );
      }
      return { key, keyNode: pair.key, node: pair.value };
    });
  }

  private value(node: unknown): unknown {
    if (isScalar(node)) return interpolate(node.value, this.vars, this.missing);
    return (node as { toJSON?: () => unknown } | null)?.toJSON?.() ?? node;
  }

  private error(node: unknown, message: string): ManifestError {
    return new ManifestError(`${this.source.at(node)}: ${message}`);
  }
}
