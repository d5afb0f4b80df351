// @ts-check
/**
 * The items scripts/provision works through: each has a read-only check and a plan that,
 * from the check's result, says what to run (nothing when the item exists). Steps that
 * carry a secret show `shown` instead of their argv, run quietly (CLIs echo what they set),
 * and may hand the secret over in a file of their own instead of on the command line.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { ROOT } = require('./run');
const { display } = require('./steps');

/**
 * @typedef {{ argv: string[], shown?: string, quiet?: boolean, secretFile?: string }} ProvisionStep
 *   shown: what is printed instead of argv (secrets as <generated>); secretFile: content
 *   written to a file only this user can read, whose path replaces {file} in argv, removed after.
 * @typedef {{ code: number, output: string }} Ran
 * @typedef {{ what: string, check: string[], plan: (checked: Ran) => ProvisionStep[], setup?: boolean }} Item
 *   setup: the check is itself the action (cf target -s): it must pass, and counts as nothing.
 */

/** Runs a command, capturing its output. @param {string[]} argv @returns {Promise<Ran>} */
function runQuiet(argv) {
  return new Promise((resolve) => {
    const [command, ...args] = argv;
    const child = spawn(/** @type {string} */ (command), args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => resolve({ code: 127, output: error.message }));
    child.on('exit', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), output }));
  });
}

/** Runs a command with its output shown. @param {string[]} argv @returns {Promise<number>} */
function runShown(argv) {
  return new Promise((resolve) => {
    const [command, ...args] = argv;
    const child = spawn(/** @type {string} */ (command), args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', () => resolve(127));
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/**
 * Checks one item and runs what its plan says.
 * @param {Item} item @param {(line: string) => void} say
 * @returns {Promise<{ ran: number, failure?: string }>} ran: steps run (-1: a setup item)
 */
async function runItem(item, say) {
  const checked = await runQuiet(item.check);
  if (item.setup)
    return checked.code === 0
      ? { ran: -1 }
      : { ran: 0, failure: `${display(item.check)} failed: ${checked.output.trim().split('\n')[0] ?? ''}` };
  const steps = item.plan(checked);
  if (steps.length === 0) {
    say(`exists: ${item.what}`);
    return { ran: 0 };
  }
  for (const step of steps) {
    say(`$ ${step.shown ?? display(step.argv)}`);
    /** @type {string | undefined} */
    let dir;
    let argv = step.argv;
    if (step.secretFile !== undefined) {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'provision-'));
      const file = path.join(dir, 'credentials.json');
      fs.writeFileSync(file, step.secretFile, { mode: 0o600 });
      argv = argv.map((arg) => (arg === '{file}' ? file : arg));
    }
    try {
      if (step.quiet) {
        const ran = await runQuiet(argv);
        // A CLI may echo what a secret step set (heroku config:set does): its output stays unseen.
        if (ran.code !== 0) return { ran: 1, failure: `${step.shown ?? display(step.argv)} failed (exit ${ran.code})` };
      } else {
        const code = await runShown(argv);
        if (code !== 0) return { ran: 1, failure: `${step.shown ?? display(step.argv)} failed (exit ${code}, see above)` };
      }
    } finally {
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  return { ran: steps.length };
}

module.exports = { runQuiet, runItem };
