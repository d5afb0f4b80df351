// @ts-check
/**
 * The one line a command ends with when its work fails (exit 1): a target's verb throws a
 * Failure, the command prints `<command>: <line>` and exits. Any other error is a bug and
 * keeps its stack.
 */
class Failure extends Error {
  /** @param {string} line what went wrong and, where it helps, what to do about it */
  constructor(line) {
    super(line);
    this.name = 'Failure';
  }
}

module.exports = { Failure };
