// @ts-check
/**
 * Commands as data: a push is a list of steps, so --dry-run can print exactly what a real
 * run executes, in the same order, and run none of it.
 */
const { spawn } = require('node:child_process');
const path = require('node:path');
const { ROOT, BIN } = require('./run');

/**
 * @typedef {{ argv: string[], why: string, quiet?: boolean, dryRun?: () => Promise<string[]> }} Step
 *   argv: the command; why: the one-line reason printed when it fails; quiet: capture output
 *   (checks whose output only matters when they fail); dryRun: for a step that is a program
 *   running commands of its own (targets/cf/release-task.js), the lines --dry-run prints
 *   instead of argv: those commands.
 */

/** Quotes an argument for a POSIX shell only when it needs it. @param {string} arg */
function quote(arg) {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** @param {string[]} argv */
const display = (argv) => argv.map(quote).join(' ');

/**
 * Runs one step; resolves with its exit code and (for quiet steps) its output.
 * @param {Step} step
 * @returns {Promise<{ code: number, output: string }>}
 */
function runStep(step) {
  return new Promise((resolve) => {
    const [command, ...args] = step.argv;
    const child = spawn(/** @type {string} */ (command), args, {
      cwd: ROOT,
      stdio: step.quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit',
      env: { ...process.env, PATH: `${BIN}${path.delimiter}${process.env.PATH ?? ''}` },
    });
    let output = '';
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => resolve({ code: 127, output: error.message }));
    child.on('exit', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), output }));
  });
}

/** Is `command` an executable somewhere on PATH? @param {string} command */
function onPath(command) {
  const fs = require('node:fs');
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => {
    try {
      fs.accessSync(path.join(dir, command), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** The first line of a tool's output that says something (for a one-line failure). @param {string} output */
function firstLine(output) {
  return (
    output
      .split('\n')
      .find((line) => line.trim() !== '')
      ?.trim() ?? 'no output'
  );
}

module.exports = { quote, display, runStep, onPath, firstLine };
