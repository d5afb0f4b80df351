// @ts-check
/**
 * The commands a cf or heroku verb runs, or under --dry-run prints (targets/types.d.ts,
 * Shell): a read-only command whose output the verb parses runs quietly; a command whose
 * output matters to the person runs with it shown, after a `$ <command>` line. A failed
 * command ends the verb with a Failure carrying its one line.
 */
const { spawn } = require('node:child_process');
const path = require('node:path');
const { ROOT, BIN } = require('./run');
const { display, firstLine } = require('./steps');
const { Failure } = require('./failure');

/** @typedef {import('../targets/types').Shell} Shell */

/** A command as printed: a dry run's <placeholder> (what a read would have told) stays unquoted. @param {string[]} argv */
const shown = (argv) => argv.map((arg) => (/^<[^<>']+>$/.test(arg) ? arg : display([arg]))).join(' ');
/** @typedef {import('../targets/types').ShellStep} ShellStep */

/**
 * Why a command failed, in one line: the first line of its stderr that says something (cf
 * prints "Getting ... as user..." on stdout first, then its error and FAILED on stderr), else
 * the last line of its stdout.
 * @param {{ output: string, stdout: string }} ran
 */
function reasonOf(ran) {
  const stderr = ran.output.slice(ran.stdout.length);
  const said = (/** @type {string} */ text) =>
    text
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && line !== 'FAILED');
  return said(stderr)[0] ?? said(ran.stdout).pop() ?? firstLine(ran.output);
}

/**
 * Runs argv; resolves with its exit code and, when captured, its output (never rejects).
 * @param {string[]} argv @param {boolean} capture
 * @returns {Promise<{ code: number, output: string, stdout: string }>}
 */
function spawnStep(argv, capture) {
  return new Promise((resolve) => {
    const [command, ...args] = argv;
    const child = spawn(/** @type {string} */ (command), args, {
      cwd: ROOT,
      stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit',
      env: { ...process.env, PATH: `${BIN}${path.delimiter}${process.env.PATH ?? ''}` },
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk) => (stdout += chunk));
    child.stderr?.on('data', (chunk) => (stderr += chunk));
    child.on('error', (error) => resolve({ code: 127, output: `${stdout}${error.message}`, stdout }));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), output: `${stdout}${stderr}`, stdout }));
  });
}

/**
 * @param {{ dryRun: boolean, say: (line: string) => void, print?: (line: string) => void }} options
 *   say: a progress line ("$ cf restart ..."); print: a dry run's command line (default stdout)
 * @returns {Shell}
 */
function makeShell({ dryRun, say, print = (line) => process.stdout.write(`${line}\n`) }) {
  return {
    dryRun,
    async read(argv, why) {
      if (dryRun) {
        print(shown(argv));
        return undefined;
      }
      const ran = await spawnStep(argv, true);
      if (ran.code !== 0) throw new Failure(`${why}: ${shown(argv)} says: ${reasonOf(ran)}`);
      return ran.stdout;
    },
    async probe(argv) {
      if (dryRun) {
        print(shown(argv));
        return undefined;
      }
      const ran = await spawnStep(argv, true);
      return { code: ran.code, output: ran.output };
    },
    async run(step) {
      const code = await this.status(step);
      if (code !== 0) throw new Failure(step.why);
    },
    async status(step) {
      const line = step.shown ?? shown(step.argv);
      if (dryRun) {
        print(line);
        return 0;
      }
      say(`$ ${line}`);
      return (await spawnStep(step.argv, step.quiet === true)).code;
    },
  };
}

module.exports = { makeShell };
