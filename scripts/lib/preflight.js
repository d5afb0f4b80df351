// @ts-check
/**
 * What scripts/test checks before running anything, so a fresh machine learns in its first
 * second what to install (rather than from a failure minutes in): the Node.js version
 * against package.json's engines, the dependencies, and each program the chosen
 * environments start (redis-server, postgresql, chromium, git, nginx), with the line that installs them.
 */
const fs = require('node:fs');
const path = require('node:path');
const { allowed, wanted } = require('./node-version');

const ROOT = path.resolve(__dirname, '..', '..');

/** Each program the tests start, and its package on each system. */
const TOOLS = {
  'redis-server': { why: 'service and platform tests start their own', debian: 'redis-server', fedora: 'redis', brew: 'redis' },
  postgresql: {
    why: 'service tests of apps made with --postgres start their own (initdb, pg_ctl)',
    debian: 'postgresql',
    fedora: 'postgresql-server',
    brew: 'postgresql@16',
  },
  chromium: { why: 'the browser journey drives it', debian: 'chromium', fedora: 'chromium', brew: '--cask chromium' },
  git: { why: 'scripts/bump and the pipeline test commit and tag', debian: 'git', fedora: 'git', brew: 'git' },
  nginx: { why: 'the Heroku gateway runs through it locally', debian: 'nginx', fedora: 'nginx', brew: 'nginx' },
};
/** @typedef {keyof typeof TOOLS} Tool */

/** @param {string} name @param {NodeJS.ProcessEnv} env @returns {string | undefined} the program's path on PATH */
function onPath(name, env) {
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/**
 * Where the browser journey finds Chromium: CHROMIUM_PATH, else `chromium` on PATH.
 * @param {NodeJS.ProcessEnv} env @returns {string | undefined}
 */
function chromiumPath(env) {
  if (env.CHROMIUM_PATH) return fs.existsSync(env.CHROMIUM_PATH) ? env.CHROMIUM_PATH : undefined;
  return onPath('chromium', env);
}

/**
 * Where scripts/gateway finds nginx: NGINX_PATH, else `nginx` on PATH, else /usr/sbin/nginx
 * (where Debian installs it, outside a user's PATH).
 * @param {NodeJS.ProcessEnv} env @returns {string | undefined}
 */
function nginxPath(env) {
  if (env.NGINX_PATH) return fs.existsSync(env.NGINX_PATH) ? env.NGINX_PATH : undefined;
  return onPath('nginx', env) ?? (fs.existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : undefined);
}

/**
 * Where the test harness finds PostgreSQL's initdb: Debian's /usr/lib/postgresql/<major>/bin
 * (outside a user's PATH), else PATH (packages/kit/src/testing/postgres-server.ts looks the same way).
 * @param {NodeJS.ProcessEnv} env @returns {string | undefined}
 */
function postgresPath(env) {
  const root = '/usr/lib/postgresql';
  const majors = fs.existsSync(root) ? fs.readdirSync(root).filter((name) => /^\d+$/.test(name)) : [];
  const debian = majors.map((major) => path.join(root, major, 'bin', 'initdb')).find((file) => fs.existsSync(file));
  return debian ?? onPath('initdb', env);
}

/** @type {Record<string, (env: NodeJS.ProcessEnv) => string | undefined>} */
const FINDERS = { chromium: chromiumPath, nginx: nginxPath, postgresql: postgresPath };

/** @param {Tool[]} missing */
function installLines(missing) {
  /** @param {'debian' | 'fedora' | 'brew'} system */
  const packages = (system) => missing.map((tool) => TOOLS[tool][system]);
  const brewFormulae = packages('brew').filter((name) => !name.startsWith('--cask'));
  const brewCasks = packages('brew')
    .filter((name) => name.startsWith('--cask'))
    .map((name) => name.replace('--cask ', ''));
  const brew = [
    brewFormulae.length ? `brew install ${brewFormulae.join(' ')}` : '',
    brewCasks.length ? `brew install --cask ${brewCasks.join(' ')}` : '',
  ]
    .filter(Boolean)
    .join(' && ');
  return [
    `  Debian/Ubuntu: sudo apt-get install -y ${packages('debian').join(' ')}`,
    `  Fedora:        sudo dnf install -y ${packages('fedora').join(' ')}`,
    `  macOS:         ${brew}`,
  ];
}

/**
 * Every problem that would stop the chosen tests, each with how to fix it; empty when none.
 * @param {Tool[]} needed the programs the chosen environments start
 * @param {NodeJS.ProcessEnv} env
 * @param {string} nodeVersion
 * @returns {string[]} lines to print
 */
function problems(needed, env = process.env, nodeVersion = process.versions.node) {
  /** @type {string[]} */
  const lines = [];
  const { range, pinned } = wanted();
  if (allowed(nodeVersion) === false) {
    lines.push(
      `Node.js ${nodeVersion} is not supported (package.json engines: ${range}); install Node.js ${pinned} (.nvmrc: \`nvm install\`), or run .ci/run, which installs it`,
    );
  }
  if (!fs.existsSync(path.join(ROOT, 'node_modules', '.bin', 'jest'))) lines.push('the dependencies are not installed: run `npm ci`');
  const missing = needed.filter((tool) => (FINDERS[tool] ?? ((/** @type {NodeJS.ProcessEnv} */ e) => onPath(tool, e)))(env) === undefined);
  if (missing.length > 0) {
    lines.push(`missing: ${missing.map((tool) => `${tool} (${TOOLS[tool].why})`).join(', ')}; install with`, ...installLines(missing));
    if (missing.includes('chromium'))
      lines.push(
        env.CHROMIUM_PATH
          ? `  (or set CHROMIUM_PATH to a Chromium or Chrome binary: ${env.CHROMIUM_PATH}, which it names now, does not exist)`
          : '  (or set CHROMIUM_PATH to a Chromium or Chrome binary)',
      );
    if (missing.includes('nginx')) lines.push('  (or set NGINX_PATH to an nginx binary)');
  }
  return lines;
}

module.exports = { problems, chromiumPath, nginxPath, postgresPath, installLines, TOOLS };
