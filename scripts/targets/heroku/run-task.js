// @ts-check
/**
 * `scripts/run-task <space> <app> --target heroku -- <command...>`: `heroku run -a APP
 * --exit-code -- <command...>`, a one-off dyno of the app's current release with its config
 * vars and add-ons; its output comes here as it runs.
 *
 * npm heroku 11.10.0 dist/commands/run/index.js: -a/--app required; -x/--exit-code
 * "passthrough the exit code of the remote command" (without it heroku run exits 0 whatever the
 * command did); strict = false, so everything after `--` is the command, joined into one line,
 * a word with a space or a quote in double quotes (lib/run/helpers.js buildCommand). Heroku
 * names one-off dynos itself (run.1234): --name only names the task in this command's lines.
 */
const { HEROKU, herokuApp } = require('./day-two');

/** @type {import('../types').RunTaskTarget} */
const runTask = {
  ...HEROKU,
  async runTask(space, task, { shell, say }) {
    const name = herokuApp(space, task.app);
    if (!shell.dryRun) say(`task ${task.name}: a one-off dyno of ${name}`);
    return shell.status({ argv: ['heroku', 'run', '-a', name, '--exit-code', '--', ...task.command], why: `heroku run -a ${name} failed` });
  },
};

module.exports = runTask;
