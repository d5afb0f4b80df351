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
}
