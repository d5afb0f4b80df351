import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ManifestError, PlatformError } from '../manifest/errors';
import { readManifest } from '../manifest/read';
import type { AppSpec, Manifest, ProcessSpec } from '../manifest/types';
import { readVarsFile, type Vars } from '../manifest/vars';
import { provisionBindings, type Provisioned } from './provision';
import { instanceEnvironment } from './environment';
import { guid } from './bindings';
import { Instance, STOP_GRACE_MS } from './instance';
import { logTime, type LogRecord } from './logs';
import { freePort } from './ports';
import { Router, type Backend, type RouteTarget } from './router';

export const DEFAULT_ROUTER_PORTS: Record<string, number> = { dev: 8080, staging: 8081, production: 8082 };

export interface SpaceOptions {
  /** The repository: manifest.yml, vars/, packages/platform/services.yml, .local/. */
  root: string;
  space: string;
  manifestFile?: string;
  /** Default: vars/<space>.yml when it exists. */
  varsFiles?: string[];
  /** Like `cf push --var`: beat the files. */
  vars?: Vars;
  /** Beats ROUTER_PORT and the vars' router_port; 0 picks a free port. */
  routerPort?: number;
  /** Default: <root>/.local/<space> (git-ignored). */
  dataDir?: string;
  catalogueFile?: string;
  /** Where REDIS_URL, SERVICES_FILE, ROUTER_PORT and the inherited PATH come from. */
  env?: NodeJS.ProcessEnv;
  log?: (record: LogRecord) => void;
  /** Progress for a person: "users instance 0 ready". */
  say?: (line: string) => void;
  checkIntervalSeconds?: number;
}

/** One instance position (app, process type, index) and what occupies it now. */
export interface Slot {
  app: AppSpec;
  process: ProcessSpec;
  index: number;
  pushId: string;
  instance: Instance;
  crashes: number;
  restarts: number;
  timer?: NodeJS.Timeout;
}

/**
 * A running space: its Redis, its router and every instance the manifest asks for,
 * supervised (a crashed or unhealthy instance is restarted with backoff). Rolling pushes
 * are in rolling-push.ts, the status view in status.ts.
 */
export class Space {
  readonly name: string;
  readonly dataDir: string;
  readonly slots = new Map<string, Slot>();
  /** Instances the router may send requests to. */
  readonly routable = new Set<Instance>();
  router: Router | undefined;
  manifest: Manifest | undefined;
  vars: Vars = {};
  provisioned: Provisioned | undefined;
  startedAt = 0;
  stopping = false;
  pushing = false;
  readonly log: (record: LogRecord) => void;
  readonly say: (line: string) => void;

  constructor(readonly options: SpaceOptions) {
    this.name = options.space;
    this.dataDir = options.dataDir ?? join(options.root, '.local', options.space);
    this.log = options.log ?? (() => undefined);
    this.say = options.say ?? (() => undefined);
  }

  get env(): NodeJS.ProcessEnv {
    return this.options.env ?? process.env;
  }

  get url(): string {
    return `http://localhost:${this.router?.port ?? 0}`;
  }

  /** Checks everything first (manifest, vars, services, port), then starts it all; on any failure stops what it started. */
  async start(): Promise<void> {
    this.startedAt = Date.now();
    if (!/^[a-z0-9][a-z0-9-]*$/.test(this.name)) throw new ManifestError(`space "${this.name}": a space name is lower-case letters, digits and dashes`);
    const fileVars = this.fileVars();
    const port = this.routerPort(fileVars);
    let manifest = this.readManifest(this.localVars(fileVars, port || 8080));
    const catalogue = join(this.options.root, 'packages', 'platform', 'services.yml');
    const router = new Router({ port, routes: [], defaultHost: 'localhost', pool: (app) => this.pool(app), log: this.log });
    this.router = router;
    try {
      this.provisioned = await provisionBindings({ manifest, space: this.name, dataDir: this.dataDir, env: this.env, catalogueFile: this.options.catalogueFile ?? catalogue, checkOnly: true });
      await router.listen();
      this.vars = this.localVars(fileVars, router.port);
      manifest = this.readManifest(this.vars);
      this.applyRoutes(manifest);
      this.provisioned = await provisionBindings({ manifest, space: this.name, dataDir: this.dataDir, env: this.env, catalogueFile: this.options.catalogueFile ?? catalogue });
      this.manifest = manifest;
      const pushId = guid(`${this.name}/${Date.now()}`);
      const starting: Array<Promise<void>> = [];
      for (const app of manifest.apps) {
        for (const spec of app.processes) {
          for (let index = 0; index < spec.instances; index += 1) starting.push(this.startSlot(app, spec, index, pushId));
        }
      }
      const results = await Promise.allSettled(starting);
      const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
      if (failed) throw new PlatformError(String((failed.reason as Error).message ?? failed.reason));
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /** Stops accepting, drains every instance (SIGTERM, SIGKILL after 10 s), then the router and Redis. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    for (const slot of this.slots.values()) clearTimeout(slot.timer);
    this.router?.server.close();
    const instances = [...this.slots.values()].map((slot) => slot.instance);
    for (const instance of instances) this.takeOut(instance);
    await Promise.all(instances.map((instance) => instance.stop(STOP_GRACE_MS)));
    await this.router?.close().catch(() => undefined);
    await this.provisioned?.stop();
  }

  /** The vars the manifest is read with locally: the files, then what this platform is, then --var. */
  localVars(fileVars: Vars, port: number, extra: Vars = {}): Vars {
    return { ...fileVars, domain: 'localhost', public_url: `http://127.0.0.1:${port}`, router_port: port, ...this.options.vars, ...extra };
  }

  fileVars(): Vars {
    const files = this.varsFiles();
    return Object.assign({}, ...files.map((file) => readVarsFile(file, this.options.root))) as Vars;
  }

  readManifest(vars: Vars): Manifest {
    return readManifest(this.options.manifestFile ?? join(this.options.root, 'manifest.yml'), { root: this.options.root, vars, varsFiles: [], varsFrom: this.varsFiles() });
  }

  applyRoutes(manifest: Manifest): void {
    const routes: RouteTarget[] = manifest.apps.flatMap((app) => app.routes.map((route) => ({ host: route.host, path: route.path, app: app.name })));
    const counts = new Map<string, number>();
    for (const route of routes) counts.set(route.host, (counts.get(route.host) ?? 0) + 1);
    const publicHost = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'localhost';
    this.router?.setRoutes(routes, publicHost);
  }

  /** Out of rotation, its idle router connections dropped: nothing new reaches it (requests in flight finish). */
  takeOut(instance: Instance): void {
    this.routable.delete(instance);
    this.router?.forget(instance.port);
  }

  pool(app: string): Backend[] {
    const pool: Backend[] = [];
    for (const instance of this.routable) {
      if (instance.app.name === app && instance.process.type === 'web' && instance.ready && instance.state === 'running') pool.push(instance.backend);
    }
    return pool;
  }

  /** Spawns an instance of a process with the space's environment. */
  async spawn(app: AppSpec, process: ProcessSpec, index: number, pushId: string): Promise<Instance> {
    const port = await freePort();
    const env = instanceEnvironment({ space: this.name, app, process, index, port, pushId, bindings: this.provisioned?.bindings ?? new Map(), inherit: this.env });
    const instance = new Instance({ app, process, index, port, version: app.env.APP_VERSION ?? '', env, log: this.log, checkIntervalSeconds: this.options.checkIntervalSeconds });
    instance.on('exit', (code: number | null, signal: string | null, expected: boolean) => this.onExit(instance, code, signal, expected));
    instance.on('unhealthy', () => void this.onUnhealthy(instance));
    instance.on('readiness', (ready: boolean) => this.event(instance, ready ? 'readiness check passes again: back in rotation' : 'readiness check failed: out of rotation'));
    instance.start();
    return instance;
  }

  /** Starts an instance in a slot, waits for it to be ready, and puts it into rotation (web processes only take requests). */
  async startSlot(app: AppSpec, process: ProcessSpec, index: number, pushId: string): Promise<void> {
    const instance = await this.spawn(app, process, index, pushId);
    const slot: Slot = { app, process, index, pushId, instance, crashes: 0, restarts: 0 };
    this.slots.set(slotKey(app.name, process.type, index), slot);
    await instance.waitUntilReady();
    this.routable.add(instance);
    this.event(instance, `ready on port ${instance.port} (${Date.now() - instance.startedAt} ms)`);
  }

  event(instance: Instance, message: string): void {
    this.log({ time: logTime(), app: instance.app.name, source: 'API/0', stream: 'OUT', line: `${instance.process.type} instance ${instance.index}: ${message}` });
  }

  slotOf(instance: Instance): Slot | undefined {
    const slot = this.slots.get(slotKey(instance.app.name, instance.process.type, instance.index));
    return slot?.instance === instance ? slot : undefined;
  }

  private onExit(instance: Instance, code: number | null, signal: string | null, expected: boolean): void {
    this.takeOut(instance);
    if (expected || this.stopping) return;
    const slot = this.slotOf(instance);
    this.event(instance, `exited (reason: CRASHED, exit_status: ${code ?? signal})${slot ? `; ${this.restart(slot, instance)}` : ''}`);
  }

  private async onUnhealthy(instance: Instance): Promise<void> {
    this.takeOut(instance);
    const slot = this.slotOf(instance);
    this.event(instance, `health check on ${instance.process.health.endpoint} failed: stopping it`);
    await instance.stop(STOP_GRACE_MS);
    if (slot && !this.stopping) this.event(instance, `stopped; ${this.restart(slot, instance)}`);
  }

  /** Diego's policy, shortened: the first restart at once, then 1 s, 2 s, 4 s... up to 30 s. Returns "restarting in 2 s (crash 3)". */
  private restart(slot: Slot, crashed: Instance): string {
    if (crashed.startedAt < Date.now() - 60_000) slot.crashes = 0;
    slot.crashes += 1;
    const delay = slot.crashes <= 1 ? 0 : Math.min(30_000, 1000 * 2 ** (slot.crashes - 2));
    clearTimeout(slot.timer);
    slot.timer = setTimeout(() => {
      if (this.stopping || slot.instance !== crashed) return;
      void (async () => {
        const instance = await this.spawn(slot.app, slot.process, slot.index, slot.pushId);
        slot.instance = instance;
        slot.restarts += 1;
        try {
          await instance.waitUntilReady();
          if (this.stopping || slot.instance !== instance) return;
          this.routable.add(instance);
          this.event(instance, `restarted and ready on port ${instance.port} (restart ${slot.restarts})`);
        } catch (error) {
          // An instance that exited was restarted by onExit already; one that never got ready is stopped here and restarted.
          const hung = instance.alive;
          await instance.stop(1000);
          if (hung && !this.stopping && slot.instance === instance) this.event(instance, `${(error as Error).message}; ${this.restart(slot, instance)}`);
        }
      })();
    }, delay);
    return `${delay === 0 ? 'restarting now' : `restarting in ${delay / 1000} s`} (crash ${slot.crashes})`;
  }

  varsFiles(): string[] {
    if (this.options.varsFiles) return this.options.varsFiles;
    const file = join(this.options.root, 'vars', `${this.name}.yml`);
    return existsSync(file) ? [file] : [];
  }

  private routerPort(fileVars: Vars): number {
    const candidates: Array<[unknown, string]> = [
      [this.options.routerPort, 'router port'],
      [this.env.ROUTER_PORT, 'ROUTER_PORT'],
      [fileVars.router_port, 'router_port in the vars file'],
      [DEFAULT_ROUTER_PORTS[this.name], 'default'],
    ];
    for (const [value, source] of candidates) {
      if (value === undefined || value === '') continue;
      const port = Number(value);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ManifestError(`${source}: expected a port number (0-65535), got ${JSON.stringify(value)}`);
      return port;
    }
    throw new ManifestError(`space ${this.name}: no router port (set router_port in vars/${this.name}.yml or ROUTER_PORT)`);
  }
}

export function slotKey(app: string, type: string, index: number): string {
  return `${app}/${type}/${index}`;
}

/** The root's package.json version: what a build is when nothing else says. */
export function bundleVersion(root: string): string {
  return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
}
