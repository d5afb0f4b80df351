/**
 * What a target provides, verb by verb: targets/<target>/<verb>.js exports one of these
 * (targets/index.js says how a command finds and parses them). A leaf: the commands and the
 * targets both import these types, and it imports nothing of theirs.
 */
import type { Option } from '@bundle/args';
import type { Step } from '../lib/steps';
import type { Item } from '../lib/provision-items';
import type { VersionTarget } from '../lib/wait-version';

/** The values a command's arguments parsed to. */
export type Values = Record<string, string | boolean | Array<string | boolean> | undefined>;

/** A target's own option of a command; `elsewhere` says what the other targets do instead, for the line that refuses it with them. */
export type TargetFlag = Option & { elsewhere?: string };

/** What every verb file may have. */
export interface VerbBase {
  /** Its own options of the command: listed in --help as "<target> only: <doc>", refused in one line with another target. */
  flags?: Record<string, TargetFlag>;
  /** How the usage line shows those flags, e.g. "[--strategy rolling|canary]". */
  synopsis?: string;
  /** Its own argument checks (the space, its flags' values): a usage problem in one line, or undefined. */
  check?: (space: string, values: Values) => string | undefined;
}

/** The check before a push that the target's tool is there and logged in. */
export interface Preflight {
  step: Step;
  failure: (output: string) => string;
  /** Set when the tool itself is not installed: the one line to print. */
  missing?: string;
}

/** targets/<target>/push.js (scripts/push). */
export interface PushTarget extends VerbBase {
  preflight: (space: string) => Preflight | undefined;
  /** Whether the local build runs first. */
  builds: (space: string) => boolean;
  /** The commands of the push, in order (what --dry-run prints). */
  steps: (space: string, version: string, values: Values) => Step[];
  /** Where each app's /version answers once pushed. */
  versionTargets: (space: string) => Promise<VersionTarget[]>;
  /** A check before the build: a failure line, or undefined. */
  ready?: (space: string) => Promise<string | undefined>;
  /** Comment lines --dry-run prints before the commands (what would be uploaded). */
  report?: (space: string) => string[];
  /** A target driven through an API rather than commands (local) pushes here, after its steps: a failure line, or undefined. */
  push?: (space: string, version: string, log: (line: string) => void) => Promise<string | undefined>;
}

/** targets/<target>/provision.js (scripts/provision). */
export interface ProvisionTarget extends VerbBase {
  /** The CLI it drives; its absence is one line, `install`. */
  tool: string;
  install: string;
  /** The read-only command that passes when the CLI is logged in, and how to log in. */
  login: { check: string[]; how: string };
  /** What the space needs, each item checked before it is created. */
  items: (space: string, options?: { dryRun: boolean; values?: Values }) => Item[];
}

/** targets/<target>/journeys.js (scripts/pipeline's journey stages). */
export interface JourneysTarget extends VerbBase {
  /** Brings the space up when the target needs that: a failure line, or undefined. */
  ensure?: (space: string) => Promise<string | undefined>;
  /**
   * The base URL and the extra scripts/e2e arguments for a space. given: E2E_<SPACE>_URL and
   * E2E_<SPACE>_APP_URL (as --app-url arguments) when set, and the variable's name for a problem line.
   */
  where: (
    space: string,
    given: { base?: string; appUrlArgs: string[]; variable: string },
  ) => Promise<{ base: string; args: string[] } | { problem: string }>;
  /**
   * What the space runs on this machine once the pipeline is done, for its summary: its
   * instances, the memory they use, and the command that stops it; undefined when it runs
   * nothing here (a cf or Heroku space runs elsewhere, a local one that is not running).
   */
  leftRunning?: (space: string) => Promise<{ instances: number; memoryMb: number; stop: string[] } | undefined>;
}

/*
 * Day two: what comes after a push (scripts/releases, rollback, run-task, restart, scale,
 * env, set-env, create-service). One interface per verb; targets/<target>/<verb>.js exports
 * one object of it (the verb file of run-task is run-task.js, its method runTask; of set-env,
 * set-env.js and setEnv; of create-service, create-service.js and createService).
 *
 * The command (commands/<verb>.js, through lib/day-two.js) parses and checks the arguments
 * common to every target (the app is one of the manifest's, -i is a number, KEY=VALUE pairs,
 * ...), then calls the chosen target's method with them and an `io`, and presents what it
 * returns (the releases table, the masked environment, "rolled back from X to Y"). So a
 * method does the target's work and no printing of results:
 *
 *   - local: talks to the running space (targets/local/space.js `control`, the supervisor's
 *     control channel); it leaves io.shell alone. A space that is not running is a Failure
 *     ("space dev is not running: start it with scripts/start dev").
 *   - cf, heroku: runs the CLI's commands through io.shell, which under --dry-run prints each
 *     command instead of running it (and a read returns undefined: the verb then prints what
 *     depends on it with a <placeholder>, e.g. `cf rollback ui --version <revision of ui that
 *     ran 1.2.3> -f`). These verb files set `commands: true`; --dry-run with a target whose
 *     verb file does not is refused in one line, exit 2.
 *
 * A failure is `throw new Failure(line)` (lib/failure.js): the command prints `<verb>: <line>`
 * and exits 1. What the person should see as it happens goes through io.say ("<verb>: ..."),
 * or, for a task's own output, straight to the terminal.
 */

/** A command a cf or heroku verb runs (lib/shell.js). */
export interface ShellStep {
  argv: string[];
  /** The one line the command ends with when this step fails. */
  why: string;
  /** Printed (after "$ ", and by --dry-run) instead of argv: a step that carries a secret shows KEY=<hidden>. */
  shown?: string;
  /** Its output is not shown (heroku config:set echoes every value it set). */
  quiet?: boolean;
}

/** Runs a target's CLI, or under --dry-run prints what it would run (lib/shell.js makeShell). */
export interface Shell {
  readonly dryRun: boolean;
  /**
   * A read-only command whose output the verb parses (cf revisions, heroku releases --json),
   * run quietly; resolves with its stdout. Under --dry-run it is printed and resolves
   * undefined. A non-zero exit throws a Failure: "<why>: <command> says: <its first line>".
   */
  read(argv: string[], why: string): Promise<string | undefined>;
  /**
   * A read-only check whose failure is an answer (cf service NAME exits 1 when there is no such
   * service): resolves with its exit code and output, never throws. Under --dry-run it is
   * printed and resolves undefined.
   */
  probe(argv: string[]): Promise<{ code: number; output: string } | undefined>;
  /** A command whose output the person sees, after a "$ <command>" line; a non-zero exit throws Failure(step.why). */
  run(step: ShellStep): Promise<void>;
  /** As run, but resolves with the exit code instead of throwing (a one-off task's code is its result). */
  status(step: ShellStep): Promise<number>;
}

/** What a day-two method is given besides its own arguments. */
export interface DayTwoIO {
  /** A line of progress, printed as "<verb>: <line>". */
  say: (line: string) => void;
  /** cf and heroku: their commands. Local verbs leave it alone. */
  shell: Shell;
}

/** What every day-two verb file has. */
export interface DayTwoBase extends VerbBase {
  /** Set by a verb that runs a CLI's commands (cf, heroku): --dry-run is allowed, and the CLI must be installed for a real run. */
  commands?: boolean;
  /** That CLI (cf, heroku), and how to install it: a real run without it is one line, exit 1. */
  tool?: { name: string; install: string };
  /**
   * Checks the app named on the command line against what the target knows of the space
   * (heroku: heroku.json has a Heroku app for it): a usage problem in one line, or undefined.
   * The command has already checked that the manifest has the app.
   */
  checkApp?: (space: string, app: string) => string | undefined;
}

/**
 * One release of a space, as scripts/releases lists it. A release is what one push made: the
 * bundle's version (package.json, APP_VERSION on cf), the commit it was built from, when.
 */
export interface Release {
  /** The bundle's version, e.g. "1.2.3": what scripts/rollback --to takes. */
  version: string;
  /** The commit it was built from (short hash), when the target knows it. */
  commit?: string;
  /** When it was made, ISO 8601. */
  when?: string;
  /** The space serves it now (on cf and heroku: every app's deployed release is this one). */
  current: boolean;
  /** The target's own ids, for the last column: "tokens #7, users #5" (cf revisions), "v42" (heroku), the droplet's folder (local). */
  detail?: string;
}

/** targets/<target>/releases.js (scripts/releases <space>). */
export interface ReleasesTarget extends DayTwoBase {
  /** The space's releases, newest first; [] under --dry-run. */
  releases: (space: string, io: DayTwoIO) => Promise<Release[]>;
}

/** targets/<target>/rollback.js (scripts/rollback <space> [--to <version>]). */
export interface RollbackTarget extends DayTwoBase {
  /**
   * Takes every app of the space back to the release `to` (a Release.version), or, when `to`
   * is undefined, to the release before the current one; rolling, so no request fails
   * (local: a rolling replacement from the release's droplet; cf: cf rollback per app).
   * Resolves with the versions it went from and to. A `to` the space has no release of is a
   * Failure in one line naming the versions it has: lib/releases.js noSuchRelease(space, to, versions).
   */
  rollback: (space: string, to: string | undefined, io: DayTwoIO) => Promise<{ from: string; to: string }>;
}

/** A one-off task (scripts/run-task <space> <app> [--name N] -- <command...>). */
export interface Task {
  app: string;
  /** Its name (--name, else a generated one: 8 hex digits, as Cloud Controller names tasks); logs show [APP/TASK/<name>/0]. */
  name: string;
  /** The command as typed after --. */
  command: string[];
  /** The same as one shell line (each word quoted when it needs it): what cf run-task --command takes and bash -c runs. */
  line: string;
}

/** targets/<target>/run-task.js. */
export interface RunTaskTarget extends DayTwoBase {
  /**
   * Runs the task once as a process of the app's current release, with the app's environment
   * and bindings (VCAP_SERVICES, ...), its output on this terminal as it comes (locally also
   * in scripts/logs as [APP/TASK/<name>/0]); resolves with its exit code, which the command
   * exits with. A task that cannot start at all is a Failure.
   */
  runTask: (space: string, task: Task, io: DayTwoIO) => Promise<number>;
}

/** targets/<target>/restart.js (scripts/restart <space> [app]). */
export interface RestartTarget extends DayTwoBase {
  /** Restarts every instance of `app` (every app when undefined), rolling: the app keeps serving throughout. */
  restart: (space: string, app: string | undefined, io: DayTwoIO) => Promise<void>;
}

/** What scripts/scale asks for: at least one of instances and memory. */
export interface Scale {
  app: string;
  /** The process type: web (default) or one of the app's processes (messages has worker). */
  process: string;
  /** -i N: how many instances (0 stops them all). */
  instances?: number;
  /** -m: the memory limit as given, normalised to cf's form ("256M", "1G"), and in megabytes. */
  memory?: { text: string; megabytes: number };
}

/** targets/<target>/scale.js. */
export interface ScaleTarget extends DayTwoBase {
  /** Sets instances and/or memory, live: no request fails while instances come and go (memory may restart them, rolling). */
  scale: (space: string, scale: Scale, io: DayTwoIO) => Promise<void>;
}

/** targets/<target>/env.js (scripts/env <space> <app>). */
export interface EnvTarget extends DayTwoBase {
  /**
   * The environment the app's instances run with: variable -> value, unmasked (VCAP_SERVICES
   * as its JSON text). The command masks secrets before printing (lib/mask.js); {} under --dry-run.
   */
  env: (space: string, app: string, io: DayTwoIO) => Promise<Record<string, string>>;
}

/** targets/<target>/set-env.js (scripts/set-env <space> <app> KEY=VALUE...). */
export interface SetEnvTarget extends DayTwoBase {
  /**
   * Sets the variables for the app's next start; running instances keep what they have, as
   * on cf. Resolves with the line the command ends with about when they take effect, e.g.
   * "they take effect at the next restart: scripts/restart dev notes" (heroku restarts at once
   * and says so). Values never reach a printed line: ShellStep.shown masks them.
   */
  setEnv: (space: string, app: string, vars: Record<string, string>, io: DayTwoIO) => Promise<string>;
  /** The target restarts the app on a change by itself (heroku: a config change is a release): no restart is needed after it. */
  appliesAtOnce?: boolean;
}

/** targets/<target>/create-service.js (scripts/create-service <space> <name>). */
export interface CreateServiceTarget extends DayTwoBase {
  /**
   * Creates the service instance `name` in the space, unless it exists (resolves 'exists').
   * Local: a binding the running space provides from then on, so a push of an app that binds
   * it works without restarting the space. cf: cf create-service with the offering and plan of
   * vars/<space>.yml. heroku: a Redis add-on attached under the binding's name.
   */
  createService: (space: string, name: string, io: DayTwoIO) => Promise<'created' | 'exists'>;
}
