import fs from 'node:fs';
import path from 'node:path';
import { ROOT, sh } from '../../../../lib/testing/throwaway-repo';
import { manifestAppNames, manifestApps, only } from '../../../../lib/testing/bundle-apps';

const USAGE = 'usage: scripts/push <space> [--target local|cf|heroku] [--strategy rolling|canary] [--dry-run]';
const VERSION = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version as string;
const push = (...args: string[]) => sh(path.join(ROOT, 'scripts', 'push'), args, ROOT);
const lines = (text: string) => text.split('\n').filter((line) => line !== '');
/** The dry run's commands and closing note, without the upload report above them. */
const commands = (text: string) => lines(text).filter((line) => !line.startsWith('# upload '));

/**
 * cf CLI v8's rule for `cf push` with a manifest of several apps, as its source has it
 * (cloudfoundry/cli, commit ccfd649d1): actor/v7pushaction/actor.go runs
 * HandleAppNameOverride first (a named app narrows the manifest to that app), then each
 * flag's override, e.g. handle_strategy_override.go: `if overrides.Strategy != "" { if
 * manifest.ContainsMultipleApps() { return CommandLineArgsWithMultipleAppsError } }`,
 * whose text (command/translatableerror/command_line_args_with_multiple_apps_error.go) is
 * the one below. The flags every override lets through are -f, --no-start and the vars
 * options (they shape the manifest itself). Answers cf's error, or undefined when accepted.
 */
function cfV8Refuses(args: string[], manifestApps: string[]): string | undefined {
  const withValue = new Set(['-f', '--vars-file', '--var', '--strategy', '-i', '-m', '-k', '-p', '-b', '-c', '-s', '-t', '-u']);
  const allowed = new Set(['-f', '--no-start', '--vars-file', '--var']);
  const named: string[] = [];
  const flags: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    if (!arg.startsWith('-')) named.push(arg);
    else {
      flags.push(arg);
      if (withValue.has(arg)) i += 1;
    }
  }
  const apps = named.length > 0 ? manifestApps.filter((app) => app === named[0]) : manifestApps;
  return apps.length > 1 && flags.some((flag) => !allowed.has(flag))
    ? 'Incorrect Usage: Command line flags (except -f and --no-start) cannot be applied when pushing multiple apps from a manifest file.'
    : undefined;
}

/** The reference chat's cf push order: tokens first, ui last; a new app goes between them. */
const REFERENCE_PUSH_ORDER = ['tokens', 'users', 'messages', 'push', 'ui'];

describe('scripts/push --target cf --dry-run', () => {
  test('when the target is cf, then it prints the check, the build, cf target and one rolling cf push per app, tokens first and ui last, and the network policy once users is pushed', () => {
    const result = push('staging', '--target', 'cf', '--dry-run');

    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const output = commands(result.stdout);
    const policy = 'cf add-network-policy tokens users --port 8080 --protocol tcp';
    const pushes = output.slice(3, -1).filter((line) => line !== policy);
    const pushed = pushes.map((line) => line.split(' ')[2] ?? '');
    expect([...output.slice(0, 3), output[output.length - 1]]).toEqual([
      'cf target',
      'scripts/build',
      'cf target -s staging',
      `# then wait until every app answers version ${VERSION} on /version`,
    ]);
    expect(pushes).toEqual(
      pushed.map((app) => `cf push ${app} -f manifest.yml --vars-file vars/staging.yml --var version=${VERSION} --strategy rolling`),
    );
    // tokens reaches users' internal route: the policy follows the later of the two pushes, once.
    expect(output.filter((line) => line.startsWith('cf add-network-policy'))).toEqual([policy]);
    expect(output.indexOf(policy)).toBe(
      Math.max(...['tokens', 'users'].map((app) => output.findIndex((line) => line.startsWith(`cf push ${app} `)))) + 1,
    );
    // tokens first (the others verify tokens with its JWKS), ui last; every app of the manifest once.
    expect([pushed[0], pushed[pushed.length - 1]]).toEqual(['tokens', 'ui']);
    expect(only(pushed, REFERENCE_PUSH_ORDER)).toEqual(REFERENCE_PUSH_ORDER);
    expect([...pushed].sort()).toEqual(manifestAppNames().sort());
  });

  test('when the target is cf with --strategy canary, then each app is pushed as a canary and its deployment continued before the next app', () => {
    const result = push('production', '--target', 'cf', '--strategy', 'canary', '--dry-run');

    expect(result.status).toBe(0);
    const pushed = commands(result.stdout)
      .slice(3, -1)
      .filter((line) => line.startsWith('cf push '))
      .map((line) => line.split(' ')[2] ?? '');
    expect([pushed[0], pushed[pushed.length - 1]]).toEqual(['tokens', 'ui']);
    expect(only(pushed, REFERENCE_PUSH_ORDER)).toEqual(REFERENCE_PUSH_ORDER);
    expect([...pushed].sort()).toEqual(manifestAppNames().sort());
    expect(commands(result.stdout).slice(3, -1)).toEqual(
      pushed.flatMap((app) => [
        `cf push ${app} -f manifest.yml --vars-file vars/production.yml --var version=${VERSION} --strategy canary`,
        `cf continue-deployment ${app}`,
        ...(app === 'users' ? ['cf add-network-policy tokens users --port 8080 --protocol tcp'] : []),
      ]),
    );
  });

  test('when the target is cf, then every cf push is one cf CLI v8 accepts for a manifest of several apps', () => {
    const apps = manifestApps(ROOT).map((app) => app.name);
    expect(apps.length).toBeGreaterThan(1);
    for (const strategy of ['rolling', 'canary']) {
      const pushes = commands(push('staging', '--target', 'cf', '--strategy', strategy, '--dry-run').stdout).filter((line) =>
        line.startsWith('cf push '),
      );
      expect(pushes.map((line) => cfV8Refuses(line.split(' ').slice(2), apps))).toEqual(pushes.map(() => undefined));
      // Every app of the manifest is pushed exactly once.
      expect(pushes.map((line) => line.split(' ')[2]).sort()).toEqual([...apps].sort());
    }
  });

  test('the cf CLI v8 rule itself: a strategy with several apps and no app named is refused, with one app named it is not', () => {
    expect(
      cfV8Refuses(
        ['-f', 'manifest.yml', '--vars-file', 'vars/staging.yml', '--var', 'version=1.0.0', '--strategy', 'rolling'],
        ['ui', 'users'],
      ),
    ).toBe(
      'Incorrect Usage: Command line flags (except -f and --no-start) cannot be applied when pushing multiple apps from a manifest file.',
    );
    expect(cfV8Refuses(['-f', 'manifest.yml', '--vars-file', 'vars/staging.yml', '--no-start'], ['ui', 'users'])).toBeUndefined();
    expect(cfV8Refuses(['users', '-f', 'manifest.yml', '--strategy', 'rolling'], ['ui', 'users'])).toBeUndefined();
  });

  test('when the target is cf, then the dry run prints what each app uploads: under 10 MB each, from the .cfignore', () => {
    const result = push('staging', '--target', 'cf', '--dry-run');
    const uploads = lines(result.stdout).filter((line) => line.startsWith('# upload '));

    expect(uploads.map((line) => line.split(' ')[2])).toEqual(manifestApps(ROOT).map((app) => `${app.name}:`));
    for (const line of uploads) {
      const [, files, megabytes] = /: (\d+) files, ([\d.]+) MB from \. \(\.cfignore\)$/.exec(line) ?? [];
      expect({ line, files: Number(files) > 0, under10: Number(megabytes) < 10 }).toEqual({ line, files: true, under10: true });
    }
  });

  test('when the space has no vars file, then exit 2 with one line', () => {
    const result = push('qa', '--target', 'cf', '--dry-run');

    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`${USAGE}\npush: unknown space "qa": there is no vars/qa.yml\n`);
  });

  test.each([
    [['staging', '--target', 'cf', '--strategy', 'blue-green'], 'push: --strategy takes rolling or canary (got "blue-green")'],
    [
      ['staging', '--target', 'heroku', '--strategy', 'canary'],
      'push: --strategy is for --target cf (the heroku push has its own way of replacing instances)',
    ],
  ])('when the arguments are %j, then exit 2: the usage line, then the problem', (args, problem) => {
    const result = push(...args);

    expect(result).toEqual({ status: 2, stdout: '', stderr: `${USAGE}\n${problem}\n` });
  });

  test('--help prints the usage and the options, exit 0', () => {
    const result = push('--help');

    expect(result.status).toBe(0);
    expect(lines(result.stdout)[0]).toBe(USAGE);
    expect(result.stdout).toMatch(/--strategy rolling\|canary/);
  });

  test('when cf is not installed, then a real push says so in one line and runs nothing', () => {
    const result = sh(path.join(ROOT, 'scripts', 'push'), ['staging', '--target', 'cf'], ROOT, { PATH: path.dirname(process.execPath) });

    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(lines(result.stderr)).toEqual([expect.stringMatching(/^push: cf is not installed: install the Cloud Foundry CLI/)]);
  });
});
