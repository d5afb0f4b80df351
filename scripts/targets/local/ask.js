// @ts-check
/**
 * What the local day-two verbs share: the space must be one (a vars file, or a space that
 * runs on other vars files), and each asks the running space's supervisor over its control
 * channel (space.js; the routes are packages/platform/src/local/day-two-control.ts). A space
 * that is not running, or an answer that is not 200, is a Failure in one line.
 */
const fs = require('node:fs');
const http = require('node:http');
const { Failure } = require('../../lib/failure');
const { varsFile } = require('../../lib/manifest');
const { platform } = require('../../lib/platform');
const { control, runningState } = require('./space');

/** @typedef {import('../types').DayTwoBase} DayTwoBase */

/** What every local day-two verb file has. @type {DayTwoBase} */
const LOCAL = {
  check(space) {
    // The name first: it names a folder under .local, and ../other would reach another.
    const { SPACE_NAME, spaceNameError } = platform('local/space-name');
    if (!SPACE_NAME.test(space)) return spaceNameError(space);
    return fs.existsSync(varsFile(space)) || runningState(space) ? undefined : `unknown space "${space}": there is no vars/${space}.yml`;
  },
};

/** @param {string} space */
function running(space) {
  const state = runningState(space);
  if (!state) throw new Failure(`space ${space} is not running: start it with scripts/start ${space}`);
  return state;
}

/**
 * One request to the running space's supervisor; resolves with its JSON answer.
 * @param {string} space @param {string} method @param {string} route @param {unknown} [body] @returns {Promise<any>}
 */
async function ask(space, method, route, body) {
  running(space);
  let answer;
  try {
    answer = await control(space, method, route, body);
  } catch (error) {
    throw new Failure(error instanceof Error ? error.message : String(error));
  }
  if (answer.status !== 200)
    throw new Failure(answer.body?.error?.message ?? `the supervisor of space ${space} answered HTTP ${answer.status}`);
  return answer.body;
}

/**
 * A request whose answer is a stream of JSON lines (a task's output): `onObject` gets each
 * as it comes; resolves once the answer ends. A refusal (not 200) is a Failure with its line.
 * @param {string} space @param {string} route @param {unknown} body @param {(object: any) => void} onObject
 * @returns {Promise<void>}
 */
function askStream(space, route, body, onObject) {
  const state = running(space);
  return new Promise((resolve, reject) => {
    const request = http.request(
      { socketPath: state.socket, method: 'POST', path: route, headers: { 'content-type': 'application/json' } },
      (response) => {
        let pending = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => {
          pending += chunk;
          let newline = pending.indexOf('\n');
          while (newline !== -1) {
            const line = pending.slice(0, newline);
            pending = pending.slice(newline + 1);
            if (line !== '' && response.statusCode === 200) onObject(JSON.parse(line));
            newline = pending.indexOf('\n');
          }
        });
        response.on('end', () => {
          if (response.statusCode === 200) return resolve();
          let message = `the supervisor of space ${space} answered HTTP ${response.statusCode}`;
          try {
            message = JSON.parse(pending).error?.message ?? message;
          } catch {
            // not JSON: the status says it
          }
          reject(new Failure(message));
        });
        response.on('error', (error) => reject(new Failure(`the supervisor of space ${space} went away: ${error.message}`)));
      },
    );
    request.on('error', (error) =>
      reject(new Failure(`cannot reach the supervisor of space ${space} (pid ${state.pid}): ${error.message}`)),
    );
    request.end(JSON.stringify(body));
  });
}

module.exports = { LOCAL, ask, askStream };
