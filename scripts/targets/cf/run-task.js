// @ts-check
/**
 * `scripts/run-task <space> <app> --target cf -- <command...>`: `cf run-task APP --command
 * LINE --name NAME --wait`, then the task's lines from `cf logs APP --recent`, then (when it
 * failed) its exit status from `cf task APP ID`.
 *
 * cf CLI (cloudfoundry/cli): run-task takes the command as one string (--command/-c, run by
 * the app's droplet under bash -c) and a --name (command/v7/run_task_command.go); --wait/-w
 * (cf CLI v8.7.4 and later: the flag is absent in v8.7.3's run_task_command.go) polls the task
 * until it is SUCCEEDED or FAILED (actor/v7action/task.go PollTask) and exits 1 with "Task
 * failed to complete successfully" (actor/actionerror/task_failed_error.go) when it failed:
 * the exit code is not the task's. `cf tasks APP` lists "id  name  state  start time
 * command" (command/v7/tasks_command.go); `cf task APP ID` shows "failure reason:", which
 * Cloud Controller fills with "Exited with status N" (command/v7/task_command.go). cf logs
 * prints each line as "TIME [APP/TASK/NAME/0] OUT text" (util/ui/log_message.go).
 */
const { display } = require('../../lib/steps');
const { Failure } = require('../../lib/failure');
const { CF, targetSpace } = require('./day-two');

/** The row of `cf tasks APP` for the task named `name`: its id and state. @param {string} output @param {string} name */
function taskRow(output, name) {
  for (const line of output.split('\n')) {
    const [id, rowName, state] = line.trim().split(/\s+/);
    if (rowName === name && /^\d+$/.test(id ?? '')) return { id: /** @type {string} */ (id), state: state ?? '' };
  }
  return undefined;
}

/** The exit status in `cf task APP ID`'s failure reason ("Exited with status 3"), else 1. @param {string} output */
function exitStatus(output) {
  const reason = output.split('\n').find((line) => /^\s*failure reason:/.test(line)) ?? '';
  const status = /status (\d+)/.exec(reason);
  return status ? Number(status[1]) || 1 : 1;
}

/** @type {import('../types').RunTaskTarget} */
const runTask = {
  ...CF,
  async runTask(space, task, { shell }) {
    await targetSpace(space, shell);
    const code = await shell.status({
      argv: ['cf', 'run-task', task.app, '--command', task.line, '--name', task.name, '--wait'],
      why: `cf run-task ${task.app} failed`,
    });
    const logs = await shell.read(['cf', 'logs', task.app, '--recent'], `cf could not read the logs of ${task.app}`);
    const marker = `[APP/TASK/${task.name}/`;
    for (const line of (logs ?? '').split('\n').filter((candidate) => candidate.includes(marker))) process.stdout.write(`${line.trim()}\n`);
    if (code === 0) return 0;
    const tasks = await shell.read(['cf', 'tasks', task.app], `cf could not list the tasks of ${task.app}`);
    const row = taskRow(tasks ?? '', task.name);
    if (!row) throw new Failure(`${display(['cf', 'run-task', task.app])} did not start the task (exit ${code}, see above)`);
    if (row.state !== 'FAILED')
      throw new Failure(`task ${task.name} of ${task.app} is ${row.state} after cf run-task --wait ended with exit ${code}`);
    return exitStatus((await shell.read(['cf', 'task', task.app, row.id], `cf could not show task ${row.id} of ${task.app}`)) ?? '');
  },
};

module.exports = runTask;
