// @ts-check
/**
 * One bundle app's build on a Fir-generation Heroku app (heroku.json "generation": "fir",
 * docs/heroku.md "Heroku's Fir generation"): Fir builds with Cloud Native Buildpacks only,
 * and the Procfile CNB reads the Procfile at the root of the source and no other
 * (heroku/buildpacks-procfile, src/main.rs), so the multi-procfile buildpack's way of giving
 * each app its own web line has no Fir equivalent. Each app gets a source of its own instead:
 * the committed tree (`git archive HEAD`, as a git push would send it) with the root Procfile
 * replaced by heroku/<app>.Procfile and a project.toml naming the CNBs (Fir reads the
 * buildpacks from project.toml), uploaded and built by `heroku builds:create --source-tar`
 * (the Build API, which builds Fir apps from a source tarball). The archive lives in a
 * temporary folder that goes when the build ends.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ROOT, run } = require('../../lib/run');

const USAGE = 'usage: node scripts/targets/heroku/fir-build.js <app> <heroku-app>';
const ABOUT =
  'Builds <app> of the bundle on the Fir-generation Heroku app <heroku-app>: the committed tree, its root Procfile\nreplaced by heroku/<app>.Procfile, with a project.toml naming heroku/nodejs and heroku/procfile, through\nheroku builds:create --source-tar (scripts/push --target heroku runs it when heroku.json says generation fir).';

/** The CNBs each app is built with, in order (project descriptor schema 0.2, buildpacks.io). */
const PROJECT_TOML = `# Written by scripts/targets/heroku/fir-build.js into each app's Fir source (docs/heroku.md).
[_]
schema-version = "0.2"

[[io.buildpacks.group]]
uri = "heroku/nodejs"

[[io.buildpacks.group]]
uri = "heroku/procfile"
`;

/** Ends with the usage line and one line, exit 2. @param {string} message @returns {never} */
function usageError(message) {
  process.stderr.write(`${USAGE}\nfir-build: ${message}\n`);
  return process.exit(2);
}

/** @param {string} command @param {string[]} args @param {string} cwd */
function must(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${(result.stderr || result.error?.message || '').trim()}`);
  return result.stdout;
}

/**
 * Writes the app's source archive (tar.gz) into `dir`; resolves with its path.
 * @param {string} app @param {string} dir @returns {string}
 */
function writeSource(app, dir) {
  const tar = path.join(dir, 'source.tar');
  // The root Procfile and any project.toml are the app's own, added below.
  must('git', ['archive', '--format=tar', '-o', tar, 'HEAD', '--', '.', ':(exclude)Procfile', ':(exclude)project.toml'], ROOT);
  fs.copyFileSync(path.join(ROOT, 'heroku', `${app}.Procfile`), path.join(dir, 'Procfile'));
  fs.writeFileSync(path.join(dir, 'project.toml'), PROJECT_TOML);
  must('tar', ['--append', '-f', tar, '-C', dir, 'Procfile', 'project.toml'], dir);
  must('gzip', ['-n', tar], dir);
  return `${tar}.gz`;
}

async function main() {
  const args = process.argv.slice(2);
  if (args.includes('-h') || args.includes('--help')) return void process.stdout.write(`${USAGE}\n\n${ABOUT}\n`);
  const [app, herokuApp, ...rest] = args;
  if (app === undefined || herokuApp === undefined) return usageError('name the app and its Heroku app');
  if (rest.length > 0) return usageError(`unexpected argument ${rest[0]}`);
  // A name, never a path: heroku/../x would reach outside heroku/.
  if (!/^[a-z0-9][a-z0-9-]*$/.test(app) || !fs.existsSync(path.join(ROOT, 'heroku', `${app}.Procfile`)))
    return usageError(`no heroku/${app}.Procfile for app ${app}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fir-source-'));
  try {
    const source = writeSource(app, dir);
    const commit = must('git', ['rev-parse', 'HEAD'], ROOT).trim();
    process.exitCode = await run('heroku', ['builds:create', '-a', herokuApp, '--source-tar', source, '--version', commit]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) void main();

module.exports = { writeSource, PROJECT_TOML };
