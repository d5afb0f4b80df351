// @ts-check
/**
 * Reads the bundle's deploy files into one picture: the app folders, manifest.yml's apps
 * (processes, public routes, services), the Procfile, heroku/*.Procfile, heroku.json,
 * .env.example's ROUTES, the local platform's marketplace, each app's openapi.yaml paths
 * and the bindings each app's sources look up. The consistency check compares these.
 */
const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');
const { parseYamlFile, parseJsonFile } = require('../lib/project-files');

/** The shared public host of manifest.yml: routes on it are path routes (`/api/users`). */
const PUBLIC_HOST = '((host)).((domain))';
/** The kit's operational routes: every app serves them on its own port, none is routed by path. */
const OPS_PATHS = ['/health', '/ready', '/version', '/metrics', '/openapi.json'];

/** The entry point a command runs (`apps/<app>/dist/<file>.js`), or undefined. @param {string} command */
const scriptOf = (command) => /apps\/[\w.-]+\/dist\/[\w./-]+\.js/.exec(command)?.[0];

/**
 * @typedef {{ type: string, command: string, script?: string }} ProcessLine
 * @typedef {{ name: string, processes: ProcessLine[], publicRoutes: string[], ownRoutes: string[], services: string[] }} ManifestApp
 * @typedef {{
 *   root: string,
 *   appDirs: string[],
 *   manifest: ManifestApp[],
 *   procfile: ProcessLine[],
 *   herokuProcfiles: Record<string, ProcessLine[]>,
 *   herokuSpaces: Record<string, string[]>,
 *   envRoutes: { path: string, type: string }[] | undefined,
 *   catalogue: string[],
 *   catalogueTypes: Record<string, string>,
 *   releaseTasks: string[],
 *   openapi: Record<string, string[]>,
 *   lookups: Record<string, { binding: string, file: string }[]>,
 * }} Bundle
 */

/** @param {string} text @returns {ProcessLine[]} */
function procfileLines(text) {
  return text.split('\n').flatMap((line) => {
    const match = /^([A-Za-z0-9_-]+):\s*(.+)$/.exec(line.trim());
    return match && !line.startsWith('#')
      ? [{ type: String(match[1]), command: String(match[2]).trim(), script: scriptOf(String(match[2])) }]
      : [];
  });
}

/** @param {string} file */
const readIf = (file) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined);

/** @param {string} root @returns {ManifestApp[]} */
function readManifest(root) {
  /** @type {{ applications?: any[] }} */
  const manifest = parseYamlFile(path.join(root, 'manifest.yml'), readIf(path.join(root, 'manifest.yml')) ?? '') ?? {};
  return (manifest.applications ?? []).map((app) => {
    /** @type {string[]} */
    const routes = (app.routes ?? []).map((/** @type {{ route: string }} */ entry) => String(entry.route));
    const onPublic = routes.filter((route) => route === PUBLIC_HOST || route.startsWith(`${PUBLIC_HOST}/`));
    return {
      name: String(app.name),
      processes: [
        ...(app.command ? [{ type: 'web', command: String(app.command), script: scriptOf(String(app.command)) }] : []),
        ...(app.processes ?? []).map((/** @type {{ type: string, command?: string }} */ p) => ({
          type: String(p.type),
          command: String(p.command ?? ''),
          script: scriptOf(String(p.command ?? '')),
        })),
      ],
      publicRoutes: onPublic.map((route) => route.slice(PUBLIC_HOST.length) || '/'),
      ownRoutes: routes.filter((route) => !onPublic.includes(route)),
      services: (app.services ?? []).map((/** @type {string | { name: string }} */ s) => (typeof s === 'string' ? s : s.name)),
    };
  });
}

/** The heroku.json maps of app -> Heroku app name, per space. @param {string} root */
function readHerokuSpaces(root) {
  const text = readIf(path.join(root, 'heroku.json'));
  if (!text) return {};
  /** @type {Record<string, unknown>} */
  const config = parseJsonFile(path.join(root, 'heroku.json'), text);
  /** @type {Record<string, string[]>} */
  const spaces = {};
  for (const [key, value] of Object.entries(config)) {
    if (['//', 'web_urls', 'public_urls', 'gateway'].includes(key) || typeof value !== 'object' || value === null || Array.isArray(value))
      continue;
    spaces[key] = Object.keys(value);
  }
  return spaces;
}

/** ROUTES of .env.example: `/api/users=users,...` (undefined without the line). @param {string} root */
function readEnvRoutes(root) {
  const line = (readIf(path.join(root, '.env.example')) ?? '').split('\n').find((l) => l.startsWith('ROUTES='));
  if (line === undefined) return undefined;
  return line
    .slice('ROUTES='.length)
    .split(',')
    .filter(Boolean)
    .map((pair) => ({ path: pair.slice(0, pair.lastIndexOf('=')), type: pair.slice(pair.lastIndexOf('=') + 1) }));
}

/** @param {string} dir @returns {string[]} */
function sourceFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'client' ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/**
 * The bindings an app's sources look up: `redis('<binding>')` (config.redis or a helper),
 * `binding: '<binding>'` (resolveSecret), `<X>_BINDING = '<binding>'`, and the kit's BUS_BINDING.
 * @param {string} root @param {string} app
 */
function readLookups(root, app) {
  /** @type {{ binding: string, file: string }[]} */
  const found = [];
  for (const file of sourceFiles(path.join(root, 'apps', app, 'src'))) {
    const text = fs.readFileSync(file, 'utf8').replace(/^\s*(\/\/|\*).*$/gm, '');
    const rel = path.relative(root, file);
    for (const pattern of [
      /\bredis\(\s*['"]([\w.-]+)['"]/g,
      /\bpostgres\(\s*['"]([\w.-]+)['"]/g,
      /\bbinding:\s*['"]([\w.-]+)['"]/g,
      /[A-Z_]+_BINDING\s*=\s*['"]([\w.-]+)['"]/g,
    ]) {
      for (const match of text.matchAll(pattern)) found.push({ binding: String(match[1]), file: rel });
    }
    if (/\bBUS_BINDING\b/.test(text) && !/BUS_BINDING\s*=/.test(text)) found.push({ binding: 'event-bus', file: rel });
  }
  return found;
}

/** @param {string} root @returns {Bundle} */
function readBundle(root) {
  const appsDir = path.join(root, 'apps');
  const appDirs = fs.existsSync(appsDir)
    ? fs
        .readdirSync(appsDir)
        .filter((name) => fs.existsSync(path.join(appsDir, name, 'package.json')))
        .sort()
    : [];
  const herokuDir = path.join(root, 'heroku');
  /** @type {Record<string, ProcessLine[]>} */
  const herokuProcfiles = {};
  for (const file of fs.existsSync(herokuDir) ? fs.readdirSync(herokuDir) : []) {
    if (file.endsWith('.Procfile'))
      herokuProcfiles[file.slice(0, -'.Procfile'.length)] = procfileLines(fs.readFileSync(path.join(herokuDir, file), 'utf8'));
  }
  /** @type {Record<string, string[]>} */
  const openapi = {};
  /** @type {Record<string, { binding: string, file: string }[]>} */
  const lookups = {};
  for (const app of appDirs) {
    const text = readIf(path.join(appsDir, app, 'openapi.yaml'));
    openapi[app] = text ? Object.keys(YAML.parse(text)?.paths ?? {}) : [];
    lookups[app] = readLookups(root, app);
  }
  /** @type {Record<string, { type?: string } | null>} */
  const catalogue = YAML.parse(readIf(path.join(root, 'packages', 'platform', 'services.yml')) ?? '') ?? {};
  return {
    root,
    appDirs,
    manifest: readManifest(root),
    procfile: procfileLines(readIf(path.join(root, 'Procfile')) ?? ''),
    herokuProcfiles,
    herokuSpaces: readHerokuSpaces(root),
    envRoutes: readEnvRoutes(root),
    catalogue: Object.keys(catalogue),
    catalogueTypes: Object.fromEntries(Object.entries(catalogue).map(([name, entry]) => [name, String(entry?.type ?? '')])),
    releaseTasks: appDirs.filter((app) => fs.existsSync(path.join(appsDir, app, 'src', 'release.ts'))),
    openapi,
    lookups,
  };
}

module.exports = { readBundle, procfileLines, scriptOf, PUBLIC_HOST, OPS_PATHS };
