import { EventEmitter } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ManifestError, PlatformError } from '../manifest/errors';
import { readManifest as readManifestFile } from '../manifest/read';
import type { AppSpec, Manifest, ProcessSpec } from '../manifest/types';
import { readVarsFile, type Vars } from '../manifest/vars';
import { SPACE_NAME, spaceNameError } from './space-name';
import { provisionBindings, type Provisioned } from './provision';
import { instanceEnvironment } from './environment';
import { internalReferences } from './internal-routes';
import { guid } from './bindings';
import { nextRestart, restartText, type ExitRecord } from './backoff';
import { Instance, STOP_GRACE_MS } from './instance';
import { logTime, type LogRecord } from './logs';
import { MB, readProcessTable } from './memory';
import { freePort } from './ports';
import { readSettings, withSettings } from './settings';
import { Router, type Backend, type RouteTarget } from './router';
import { makeRelease, releaseStoreOf, releasesInUse } from './release-steps';
import { runReleaseTasks } from './release-task';
import type { ReleaseRecord, ReleaseStore } from './releases';
import { SpaceTelemetry } from './telemetry/space-telemetry';

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
  /**
   * Milliseconds between two samples of every instance's memory (the resident memory of
   * its process tree, from /proc), checked against its `memory:` quota; 0 turns the check
   * off. Default: MEMORY_CHECK_INTERVAL_MS, else 1000.
   */
  memoryCheckIntervalMs?: number;
  /** How many releases (droplets under <dataDir>/releases/) the space keeps. Default: RELEASES_KEPT, else 5. */
  releasesKept?: number;
}

export const DEFAULT_MEMORY_CHECK_INTERVAL_MS = 1000;

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
  /** How the last instance in this slot ended, for `scripts/status`. */
  lastExit?: ExitRecord;
  /** When a restart is waiting: "restarting in 2 s (crash 3)". */
  next?: string;
}

/**
 * A running space: its Redis, its router and every instance the manifest asks for,
 * supervised (a crashed, unhealthy or over-quota instance is restarted with backoff).
 * Rolling pushes are in rolling-push.ts, the status view in status.ts. Emits 'processes'
 * when a restart changed the processes it runs (their pids), 'memory' after each sample.
 */
export class Space extends EventEmitter {
  readonly name: string;
  readonly dataDir: string;
  readonly slots = new Map<string, Slot>();
  /** Instances the router may send requests to. */
  readonly routable = new Set<Instance>();
  router: Router | undefined;
  /** Each internal route's host and the 127.0.0.1 port it resolves to (router/ listenInternal). */
  internalAddresses: ReadonlyMap<string, number> = new Map();
  manifest: Manifest | undefined;
  vars: Vars = {};
  provisioned: Provisioned | undefined;
  /** Its releases (release-steps.ts), and the one it serves: every instance runs from a release's droplet. */
  releases: ReleaseStore | undefined;
  release: ReleaseRecord | undefined;
  /** Its OTLP receiver and recent traces, and the OTEL_* every instance gets (telemetry/space-telemetry.ts). */
  telemetry: SpaceTelemetry | undefined;
  /** The supervisor's console once it listens (console/space-console.ts), with its token in the fragment. */
  consoleUrl: string | undefined;
  startedAt = 0;
  stopping = false;
  pushing = false;
  readonly log: (record: LogRecord) => void;
  readonly say: (line: string) => void;
  private memoryTimer: NodeJS.Timeout | undefined;

  constructor(readonly options: SpaceOptions) {
    super();
    this.name = options.space;
    this.dataDir = options.dataDir ?? join(options.root, '.local', options.space);
    this.log = options.log ?? (() => undefined);
    this.say = options.say ?? (() => undefined);
  }

  get env(): NodeJS.ProcessEnv {
    return this.options.env ?? process.env;
  }

  get manifestFile(): string {
    return this.options.manifestFile ?? join(this.options.root, 'manifest.yml');
  }

  get url(): string {
    return `http://localhost:${this.router?.port ?? 0}`;
  }

  /** Checks everything first (manifest, vars, services, port), then starts it all; on any failure stops what it started. */
  async start(): Promise<void> {
    this.startedAt = Date.now();
    if (!SPACE_NAME.test(this.name)) throw new ManifestError(spaceNameError(this.name));
    const fileVars = this.fileVars();
    const port = this.routerPort(fileVars);
    const memoryInterval = this.memoryCheckInterval();
    releaseStoreOf(this);
    let manifest = this.readManifest(this.localVars(fileVars, port || 8080));
    internalReferences(manifest);
    const catalogue = join(this.options.root, 'packages', 'platform', 'services.yml');
    const router = new Router({ port, routes: [], defaultHost: 'localhost', pool: (app) => this.pool(app), log: this.log });
    this.router = router;
    try {
      this.provisioned = await provisionBindings({
        manifest,
        space: this.name,
        dataDir: this.dataDir,
        env: this.env,
        catalogueFile: this.options.catalogueFile ?? catalogue,
        checkOnly: true,
      });
      await router.listen();
      this.vars = this.localVars(fileVars, router.port);
      manifest = this.readManifest(this.vars);
      this.applyRoutes(manifest);
      await this.openInternalRoutes(manifest);
      this.provisioned = await provisionBindings({
        manifest,
        space: this.name,
        dataDir: this.dataDir,
        env: this.env,
        catalogueFile: this.options.catalogueFile ?? catalogue,
        log: this.log,
      });
      this.provisioned.privateRedis?.on('restarted', () => this.emit('processes'));
      this.provisioned.privatePostgres?.on('restarted', () => this.emit('processes'));
      this.telemetry = new SpaceTelemetry(this.env);
      await this.telemetry.start();
      // The first release: instances run from its droplet, never from the working tree.
      const made = makeRelease(this, manifest, this.vars);
      manifest = made.manifest;
      const pushId = guid(`${this.name}/${Date.now()}`);
      await runReleaseTasks(this, manifest.apps, pushId);
      this.manifest = manifest;
      this.release = made.release;
      if (memoryInterval > 0) this.watchMemory(memoryInterval);
      const starting: Array<Promise<void>> = [];
      for (const app of manifest.apps) {
        for (const spec of app.processes) {
          for (let index = 0; index < spec.instances; index += 1) starting.push(this.startSlot(app, spec, index, pushId));
        }
      }
      const results = await Promise.allSettled(starting);
      const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
      if (failed) throw new PlatformError(String((failed.reason as Error).message ?? failed.reason));
      this.releases?.prune(releasesInUse(this));
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /** Stops accepting, drains every instance (SIGTERM, SIGKILL after 10 s), then the router and Redis. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    clearInterval(this.memoryTimer);
    for (const slot of this.slots.values()) clearTimeout(slot.timer);
    this.router?.stopListening();
    const instances = [...this.slots.values()].map((slot) => slot.instance);
    for (const instance of instances) this.takeOut(instance);
    await Promise.all(instances.map((instance) => instance.stop(STOP_GRACE_MS)));
    // After the drain: what the instances flushed as they stopped is still received.
    await this.telemetry?.stop();
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

  /** The manifest with the space's day-two settings over it (settings.ts: set-env, scale). */
  readManifest(vars: Vars): Manifest {
    return withSettings(
      readManifestFile(this.manifestFile, {
        root: this.options.root,
        vars,
        varsFiles: [],
        varsFrom: this.varsFiles(),
      }),
      readSettings(this.dataDir),
    );
  }

  applyRoutes(manifest: Manifest): void {
    const routes: RouteTarget[] = manifest.apps.flatMap((app) =>
      app.routes.map((route) => ({ host: route.host, path: route.path, app: app.name, internal: route.internal })),
    );
    const counts = new Map<string, number>();
    for (const route of routes) if (!route.internal) counts.set(route.host, (counts.get(route.host) ?? 0) + 1);
    const publicHost = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'localhost';
    this.router?.setRoutes(routes, publicHost);
  }

  /** A listener for every internal route of the manifest, before any instance that calls one starts (a route a push adds gets one too). */
  async openInternalRoutes(manifest: Manifest): Promise<void> {
    const hosts = manifest.apps.flatMap((app) => app.routes.filter((route) => route.internal).map((route) => route.host));
    if (this.router) this.internalAddresses = await this.router.listenInternal(hosts);
  }

  /** Out of rotation, its idle router connections dropped: nothing new reaches it (requests in flight finish). */
  takeOut(instance: Instance): void {
    this.routable.delete(instance);
    this.router?.forget(instance.port);
  }

  pool(app: string): Backend[] {
    const pool: Backend[] = [];
    for (const instance of this.routable) {
      if (instance.app.name === app && instance.process.type === 'web' && instance.ready && instance.state === 'running')
        pool.push(instance.backend);
    }
    return pool;
  }

  /** Spawns an instance of a process with the space's environment. */
  async spawn(app: AppSpec, process: ProcessSpec, index: number, pushId: string): Promise<Instance> {
    const port = await freePort();
    const env = instanceEnvironment({
      space: this.name,
      app,
      process,
      index,
      port,
      pushId,
      bindings: this.provisioned?.bindings ?? new Map(),
      inherit: this.env,
      internalAddresses: this.internalAddresses,
      telemetry: this.telemetry?.instanceEnv(),
    });
    const instance = new Instance({
      app,
      process,
      index,
      port,
      version: app.env.APP_VERSION ?? '',
      env,
      log: this.log,
      checkIntervalSeconds: this.options.checkIntervalSeconds,
    });
    instance.on('exit', (code: number | null, signal: string | null, expected: boolean) => this.onExit(instance, code, signal, expected));
    instance.on('unhealthy', () => this.onUnhealthy(instance));
    instance.on('readiness', (ready: boolean) =>
      this.event(
        instance,
        ready
          ? 'readiness check passes again: back in rotation'
          : `readiness check failed (${instance.unreadyReason ?? 'no reason given'}): out of rotation`,
      ),
    );
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
    this.log({
      time: logTime(),
      app: instance.app.name,
      source: 'API/0',
      stream: 'OUT',
      line: `${instance.process.type} instance ${instance.index}: ${message}`,
    });
  }

  slotOf(instance: Instance): Slot | undefined {
    const slot = this.slots.get(slotKey(instance.app.name, instance.process.type, instance.index));
    return slot?.instance === instance ? slot : undefined;
  }

  /**
   * Cloud Foundry's semantics for an exit. The platform asked for it (push, scale down,
   * space stop): STOPPED, whatever the exit code, no restart, no backoff. Anything else
   * is CRASHED and restarted with backoff, exit code 0 included: an app that ends on its
   * own (or on a SIGTERM nobody on the platform sent) is an instance missing, which Diego
   * replaces. A stop for a fault (failed liveness, over its memory quota) is a crash too.
   */
  private onExit(instance: Instance, code: number | null, signal: string | null, expected: boolean): void {
    this.takeOut(instance);
    const slot = this.slotOf(instance);
    const status = code ?? signal ?? '?';
    const at = new Date().toISOString();
    if (expected) {
      if (slot) slot.lastExit = { reason: 'STOPPED', description: 'stopped by the platform', exit_status: status, at };
      this.event(instance, `stopped (reason: STOPPED, exit_status: ${status})`);
      return;
    }
    if (this.stopping) return;
    const description = instance.killedFor;
    if (slot) slot.lastExit = { reason: 'CRASHED', description: description ?? 'exited', exit_status: status, at };
    this.event(
      instance,
      `exited (reason: CRASHED${description ? `, exit_description: ${description}` : ''}, exit_status: ${status})${slot ? `; ${this.restart(slot, instance)}` : ''}`,
    );
  }

  private onUnhealthy(instance: Instance): void {
    this.takeOut(instance);
    this.event(instance, `health check on ${instance.process.health.endpoint} failed: stopping it`);
    void instance.stop(STOP_GRACE_MS, `failed liveness check on ${instance.process.health.endpoint}`);
  }

  /** Diego's policy, shortened (backoff.ts). Returns "restarting in 2 s (crash 3)". */
  private restart(slot: Slot, crashed: Instance): string {
    const { crashes, delayMs } = nextRestart(slot.crashes, crashed.startedAt);
    slot.crashes = crashes;
    slot.next = restartText(delayMs, crashes);
    const key = slotKey(slot.app.name, slot.process.type, slot.index);
    // A push may give the position to a new slot meanwhile: this one then restarts nothing.
    const current = (instance?: Instance): boolean =>
      !this.stopping && this.slots.get(key) === slot && (instance === undefined || slot.instance === instance);
    clearTimeout(slot.timer);
    slot.timer = setTimeout(() => {
      if (!current(crashed)) return;
      void (async () => {
        const instance = await this.spawn(slot.app, slot.process, slot.index, slot.pushId);
        slot.instance = instance;
        slot.restarts += 1;
        slot.next = undefined;
        this.emit('processes');
        try {
          await instance.waitUntilReady();
          if (!current(instance)) return void (await instance.stop(STOP_GRACE_MS));
          this.routable.add(instance);
          this.event(instance, `restarted and ready on port ${instance.port} (restart ${slot.restarts})`);
        } catch (error) {
          // One that exited was restarted by onExit already; one that never got ready is stopped, and onExit restarts it.
          if (!instance.alive) return;
          if (!current(instance)) return void (await instance.stop(STOP_GRACE_MS));
          this.event(instance, (error as Error).message);
          await instance.stop(1000, `not ready within ${slot.process.timeout} s`);
        }
      })();
    }, delayMs);
    return slot.next;
  }

  /**
   * The memory quota, as Diego's memory cgroup enforces it: a sample of every instance, and
   * one whose anonymous memory is over its quota killed (memory.ts, treeChargedBytes).
   */
  private watchMemory(intervalMs: number): void {
    let sampling = false;
    this.memoryTimer = setInterval(() => {
      if (sampling || this.stopping) return;
      sampling = true;
      void readProcessTable()
        .then((table) => {
          if (!table || this.stopping) return;
          for (const slot of this.slots.values()) {
            const instance = slot.instance;
            if (!instance.alive || instance.pid === undefined) continue;
            const charged = table.treeChargedBytes(instance.pid);
            instance.memoryBytes = charged;
            if (charged === undefined || charged <= slot.process.memoryMb * MB) continue;
            this.takeOut(instance);
            this.event(
              instance,
              `exceeded its memory quota of ${slot.process.memoryMb}M (${Math.ceil(charged / MB)} MB, file pages not counted): killed`,
            );
            instance.kill('out of memory');
          }
          this.emit('memory');
        })
        .finally(() => (sampling = false));
    }, intervalMs);
    this.memoryTimer.unref();
  }

  private memoryCheckInterval(): number {
    const value = this.options.memoryCheckIntervalMs ?? this.env.MEMORY_CHECK_INTERVAL_MS;
    if (value === undefined || value === '') return DEFAULT_MEMORY_CHECK_INTERVAL_MS;
    const ms = Number(value);
    if (!Number.isInteger(ms) || (ms !== 0 && ms < 100))
      throw new ManifestError(
        `MEMORY_CHECK_INTERVAL_MS: expected 0 (no memory check) or milliseconds from 100, got ${JSON.stringify(value)}`,
      );
    return ms;
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
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new ManifestError(`${source}: expected a port number (0-65535), got ${JSON.stringify(value)}`);
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
