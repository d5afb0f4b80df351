// @ts-check
/**
 * `scripts/env <space> <app> --target cf`: `cf env APP`, read into name -> value (the command
 * masks the secrets). cloudfoundry/cli v8.9.1 command/v7/env_command.go prints the sections
 * "System-Provided:" (VCAP_SERVICES and VCAP_APPLICATION, each "NAME: " then indented JSON,
 * util/ui/ui.go DisplayJSON), "User-Provided:" ("NAME: value" a line, sorted), "Running
 * Environment Variable Groups:" and "Staging Environment Variable Groups:"; an empty one is a
 * "No ... have been set" line. An instance runs with the system-provided, the running group
 * and the user-provided variables, the user's winning; the staging group is for staging only.
 */
const { CF, targetSpace } = require('./day-two');

const SECTIONS = {
  'System-Provided:': 'system',
  'User-Provided:': 'user',
  'Running Environment Variable Groups:': 'running',
  'Staging Environment Variable Groups:': 'staging',
};

/** @param {string} output @returns {Record<string, string>} */
function parseCfEnv(output) {
  /** @type {Record<string, Record<string, string>>} */
  const found = { system: {}, user: {}, running: {}, staging: {} };
  let section = '';
  const lines = output.split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    const line = /** @type {string} */ (lines[index]);
    if (line in SECTIONS) {
      section = /** @type {Record<string, string>} */ (SECTIONS)[line] ?? '';
      continue;
    }
    if (line.trim() === '' || section === '' || /^No .* been set$/.test(line)) continue;
    const match = /^([A-Za-z_][A-Za-z0-9_]*): (.*)$/.exec(line);
    if (!match) continue;
    const [, name, value] = /** @type {[string, string, string]} */ (/** @type {unknown} */ (match));
    if (section === 'system' && (value === '{' || value === '[')) {
      // Indented JSON up to the line that closes it at the margin.
      const end = lines.findIndex((candidate, at) => at > index && /^[}\]]$/.test(candidate));
      const text = lines
        .slice(index, end + 1)
        .join('\n')
        .slice(name.length + 2);
      try {
        /** @type {Record<string, string>} */ (found.system)[name] = JSON.stringify(JSON.parse(text));
      } catch {
        /** @type {Record<string, string>} */ (found.system)[name] = text;
      }
      index = end === -1 ? lines.length : end;
    } else /** @type {Record<string, string>} */ (found[section])[name] = value;
  }
  return { ...found.system, ...found.running, ...found.user };
}

/** @type {import('../types').EnvTarget} */
const env = {
  ...CF,
  async env(space, app, { shell }) {
    await targetSpace(space, shell);
    const output = await shell.read(['cf', 'env', app], `cf could not read the environment of ${app}`);
    return output === undefined ? {} : parseCfEnv(output);
  },
};

module.exports = Object.assign(env, { parseCfEnv });
