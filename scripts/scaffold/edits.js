// @ts-check
/**
 * The deploy files an app appears in, and how adding or removing one changes each. Every
 * edit is text in, text out, made in place: YAML through the `yaml` library's Document
 * (comments, order and blank lines kept), JSON re-serialised as npm writes it (2 spaces,
 * key order kept), the line-based files (Procfile, .env.example, lists in scripts) a line
 * at a time. Adding then removing an app gives back the same bytes.
 */
const YAML = require('yaml');
const { PUBLIC_HOST } = require('./bundle');

/** @typedef {import('./template').AppSpec} AppSpec */
/** @typedef {{ file: string, edit: (text: string) => string } | { file: string, create: string } | { file: string, remove: true }} Change */

const PRELOAD = 'node -r ./packages/platform/dist/cli/procfile-env.js';
const yamlOptions = { lineWidth: 0 };

/** The manifest entry of a new app, shaped as the others are. @param {AppSpec} spec */
function manifestEntry(spec) {
  return {
    name: spec.name,
    path: '.',
    command: `exec node apps/${spec.name}/dist/main.js`,
    instances: '((web_instances))',
    memory: '128M',
    disk_quota: '((disk_quota))',
    buildpacks: ['nodejs_buildpack'],
    'health-check-type': 'http',
    'health-check-http-endpoint': '/health',
    'readiness-health-check-type': 'http',
    'readiness-health-check-http-endpoint': '/ready',
    timeout: 30,
    env: {
      APP_VERSION: '((version))',
      NODE_OPTIONS: '--max-old-space-size=80 --max-semi-space-size=2',
      JWKS_URL: '((public_url))/.well-known/jwks.json',
      TOKEN_ISSUER: '((token_issuer))',
      TOKEN_AUDIENCE: '((token_audience))',
    },
    services: [...(spec.redis ? [spec.redis] : []), ...(spec.postgres ? [spec.postgres] : []), 'event-bus'],
    routes: [...(spec.route ? [{ route: `${PUBLIC_HOST}${spec.route}` }] : []), { route: `((host))-${spec.name}.((domain))` }],
    ...(spec.worker
      ? {
          processes: [
            {
              type: 'worker',
              command: `exec node apps/${spec.name}/dist/worker.js`,
              instances: '((worker_instances))',
              memory: '128M',
              disk_quota: '((disk_quota))',
              'health-check-type': 'process',
              timeout: 30,
            },
          ],
        }
      : {}),
  };
}

/** @param {string} text @param {(applications: import('yaml').YAMLSeq, doc: import('yaml').Document) => void} change */
function editManifest(text, change) {
  const doc = YAML.parseDocument(text);
  const applications = doc.get('applications');
  if (!YAML.isSeq(applications)) throw new Error('manifest.yml has no applications list');
  change(applications, doc);
  return doc.toString(yamlOptions);
}

/** @param {import('yaml').YAMLSeq} applications @param {string} name */
const indexOfApp = (applications, name) => applications.items.findIndex((item) => YAML.isMap(item) && item.get('name') === name);

/** @param {string} text @param {string} line */
const appendLine = (text, line) => `${text.replace(/\n*$/, '\n')}${line}\n`;
/** @param {string} text @param {(line: string) => boolean} drop */
const dropLines = (text, drop) =>
  text
    .split('\n')
    .filter((line) => !drop(line))
    .join('\n');

/**
 * Edits a one-line array of quoted names (`const NAME = ['a', 'b'];`) in a script.
 * @param {string} text @param {string} constant @param {(names: string[]) => string[]} change
 */
function editNameList(text, constant, change) {
  const pattern = new RegExp(`(const ${constant} = \\[)([^\\]]*)(\\];)`);
  const match = pattern.exec(text);
  if (!match) throw new Error(`no one-line list ${constant}`);
  const names = String(match[2])
    .split(',')
    .map((item) => item.trim().replace(/^'|'$/g, ''))
    .filter(Boolean);
  return text.replace(
    pattern,
    `$1${change(names)
      .map((name) => `'${name}'`)
      .join(', ')}$3`,
  );
}

/** @param {string} text @param {(json: any) => void} change */
function editJson(text, change) {
  const json = JSON.parse(text);
  change(json);
  return `${JSON.stringify(json, null, 2)}\n`;
}

/** Inserts a key into an object before the first key that sorts after it (npm keeps lockfile keys sorted). @param {Record<string, unknown>} object @param {string} key @param {unknown} value */
function insertSorted(object, key, value) {
  const entries = Object.entries(object);
  const at = entries.findIndex(([k], index) => index > 0 && k > key);
  entries.splice(at < 0 ? entries.length : at, 0, [key, value]);
  for (const k of Object.keys(object)) delete object[k];
  Object.assign(object, Object.fromEntries(entries));
}

/** @param {Record<string, any>} heroku @returns {[string, Record<string, string>][]} */
const herokuSpaces = (heroku) =>
  Object.entries(heroku).filter(
    ([key, value]) =>
      !['//', 'web_urls', 'public_urls', 'gateway'].includes(key) && typeof value === 'object' && value !== null && !Array.isArray(value),
  );

/** The Heroku Postgres plan scripts/provision adds (heroku.json postgres_plan): the smallest that keeps its data. */
const HEROKU_POSTGRES_PLAN = 'heroku-postgresql:essential-0';
/** What the vars files gain with the first PostgreSQL app, and lose with the last. */
const POSTGRES_VARS = [
  '# The PostgreSQL offering and plan scripts/provision creates each PostgreSQL binding with (cf marketplace).',
  'postgres_offering: postgresql',
  'postgres_plan: small',
];
/** The lines of .env.example for an app's PostgreSQL (a Procfile runner has no bindings). @param {string} name @param {string} binding */
const postgresEnvLines = (name, binding) => [
  `# ${name}'s PostgreSQL (on Heroku, DATABASE_URL from its add-on): a database of its own.`,
  `${binding.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_URL=postgresql://postgres@127.0.0.1:5432/${name.replaceAll('-', '_')}`,
];

/** The changes PostgreSQL adds: .env.example, the vars' offering and plan, heroku.json's add-on plan. @param {AppSpec} spec @param {string[]} varsFiles @returns {Change[]} */
function postgresAddChanges(spec, varsFiles) {
  if (!spec.postgres) return [];
  const binding = spec.postgres;
  return [
    {
      file: '.env.example',
      edit: (text) => postgresEnvLines(spec.name, binding).reduce((out, line) => appendLine(out, line), text),
    },
    ...varsFiles.map((file) => ({
      file,
      edit: (/** @type {string} */ text) =>
        /^postgres_offering:/m.test(text) ? text : POSTGRES_VARS.reduce((out, line) => appendLine(out, line), text),
    })),
    {
      file: 'heroku.json',
      edit: (text) =>
        editJson(text, (heroku) => {
          if (heroku.postgres_plan !== undefined) return;
          const entries = Object.entries(heroku);
          const at = entries.findIndex(([key]) => key === 'redis_plan');
          entries.splice(at < 0 ? entries.length : at + 1, 0, ['postgres_plan', HEROKU_POSTGRES_PLAN]);
          for (const key of Object.keys(heroku)) delete heroku[key];
          Object.assign(heroku, Object.fromEntries(entries));
        }),
    },
    {
      file: 'packages/platform/services.yml',
      edit: (text) => (new RegExp(`^${binding}:`, 'm').test(text) ? text : appendLine(text, `${binding}: { type: postgres }`)),
    },
  ];
}

/** The changes that take an app's PostgreSQL out again; the shared lines go with the last PostgreSQL app. @param {string} name @param {{ postgres: string[], postgresLeft: boolean, varsFiles: string[] }} found @returns {Change[]} */
function postgresRemoveChanges(name, found) {
  const lines = found.postgres.flatMap((binding) => postgresEnvLines(name, binding));
  return [
    ...(lines.length > 0
      ? [{ file: '.env.example', edit: (/** @type {string} */ text) => dropLines(text, (line) => lines.includes(line)) }]
      : []),
    ...(found.postgresLeft || found.postgres.length === 0
      ? []
      : [
          ...found.varsFiles.map((file) => ({
            file,
            edit: (/** @type {string} */ text) => dropLines(text, (line) => POSTGRES_VARS.includes(line)),
          })),
          {
            file: 'heroku.json',
            edit: (/** @type {string} */ text) =>
              editJson(text, (heroku) => {
                if (heroku.postgres_plan === HEROKU_POSTGRES_PLAN) delete heroku.postgres_plan;
              }),
          },
        ]),
  ];
}

/** @param {AppSpec} spec @param {string} pkgText the new app's package.json @param {string} pipeline heroku.json's pipeline @param {string[]} varsFiles the vars/<space>.yml files @returns {Change[]} */
function addChanges(spec, pkgText, pipeline = 'chat', varsFiles = []) {
  const { name } = spec;
  return [
    {
      file: 'manifest.yml',
      edit: (text) =>
        editManifest(text, (applications, doc) => {
          const node = doc.createNode(manifestEntry(spec));
          node.spaceBefore = true;
          applications.items.push(node);
        }),
    },
    {
      file: 'Procfile',
      edit: (text) => {
        const withWeb = appendLine(text, `${name}: ${PRELOAD} apps/${name}/dist/main.js`);
        return spec.worker ? appendLine(withWeb, `${name}-worker: ${PRELOAD} apps/${name}/dist/worker.js`) : withWeb;
      },
    },
    {
      file: `heroku/${name}.Procfile`,
      create: [
        `# Heroku app ${pipeline}-${name}-<space>: PROCFILE=heroku/${name}.Procfile (docs/heroku.md).`,
        `web: exec node apps/${name}/dist/main.js`,
        ...(spec.worker ? [`worker: exec node apps/${name}/dist/worker.js`] : []),
        `release: node scripts/targets/heroku/release-task.js ${name}`,
        '',
      ].join('\n'),
    },
    {
      file: 'heroku.json',
      edit: (text) =>
        editJson(text, (heroku) => {
          for (const [space, apps] of herokuSpaces(heroku)) apps[name] = `${pipeline}-${name}-${space}`;
        }),
    },
    ...(spec.route
      ? [{ file: '.env.example', edit: (/** @type {string} */ text) => text.replace(/^(ROUTES=.*)$/m, `$1,${spec.route}=${name}`) }]
      : []),
    ...(spec.redis
      ? [
          {
            file: 'packages/platform/services.yml',
            edit: (/** @type {string} */ text) =>
              new RegExp(`^${spec.redis}:`, 'm').test(text) ? text : appendLine(text, `${spec.redis}: { type: redis }`),
          },
        ]
      : []),
    {
      file: 'tsconfig.build.json',
      edit: (text) => {
        const lines = text.split('\n');
        const last = lines.findLastIndex((line) => /\{ "path": "apps\//.test(line));
        lines[last] = `${lines[last]},`;
        lines.splice(last + 1, 0, `    { "path": "apps/${name}/tsconfig.build.json" }`);
        return lines.join('\n');
      },
    },
    {
      file: 'package-lock.json',
      edit: (text) =>
        editJson(text, (lock) => {
          const pkg = JSON.parse(pkgText);
          insertSorted(lock.packages, `apps/${name}`, { name: pkg.name, version: pkg.version, dependencies: pkg.dependencies });
          insertSorted(lock.packages, `node_modules/${pkg.name}`, { resolved: `apps/${name}`, link: true });
        }),
    },
    // Before ui, which goes last: the client meets only APIs that are already new.
    {
      file: 'scripts/targets/cf/push-order.js',
      edit: (text) =>
        editNameList(text, 'PUSH_ORDER', (names) =>
          names.includes('ui') ? [...names.slice(0, names.indexOf('ui')), name, ...names.slice(names.indexOf('ui'))] : [...names, name],
        ),
    },
    { file: 'e2e/src/journeys/versions.js', edit: (text) => editNameList(text, 'APPS', (names) => [...names, name]) },
    ...postgresAddChanges(spec, varsFiles),
  ];
}

/**
 * The changes that take an app out again. `bindings` (those no other app binds) leave the
 * local marketplace.
 * `postgres`: its PostgreSQL bindings, whether another app keeps one, and the vars files.
 * @param {string} name @param {{ bindings: string[], files: string[], postgres?: { postgres: string[], postgresLeft: boolean, varsFiles: string[] } }} found @returns {Change[]}
 */
function removeChanges(name, found) {
  const postgres = found.postgres ?? { postgres: [], postgresLeft: false, varsFiles: [] };
  const tsconfigLine = `{ "path": "apps/${name}/tsconfig.build.json" }`;
  return [
    ...found.files.map((file) => /** @type {Change} */ ({ file, remove: true })),
    {
      file: 'manifest.yml',
      edit: (text) => editManifest(text, (applications) => void applications.items.splice(indexOfApp(applications, name), 1)),
    },
    { file: 'Procfile', edit: (text) => dropLines(text, (line) => new RegExp(`\\sapps/${name}/dist/[\\w./-]+\\.js\\s*$`).test(line)) },
    {
      file: 'heroku.json',
      edit: (text) =>
        editJson(text, (heroku) => {
          for (const [, apps] of herokuSpaces(heroku)) delete apps[name];
          if (heroku.web_urls) for (const space of Object.keys(heroku.web_urls)) delete heroku.web_urls[space]?.[name];
        }),
    },
    {
      file: '.env.example',
      edit: (text) =>
        text.replace(
          /^ROUTES=(.*)$/m,
          (_line, routes) =>
            `ROUTES=${String(routes)
              .split(',')
              .filter((pair) => pair.slice(pair.lastIndexOf('=') + 1) !== name)
              .join(',')}`,
        ),
    },
    {
      file: 'packages/platform/services.yml',
      edit: (text) =>
        dropLines(text, (line) =>
          found.bindings.some(
            (binding) => line.startsWith(`${binding}: { type: redis }`) || line.startsWith(`${binding}: { type: postgres }`),
          ),
        ),
    },
    {
      file: 'tsconfig.build.json',
      edit: (text) => {
        const lines = text.split('\n');
        const at = lines.findIndex((line) => line.trim().replace(/,$/, '') === tsconfigLine);
        if (at < 0) return text;
        const wasLast = !lines[at]?.trim().endsWith(',');
        lines.splice(at, 1);
        if (wasLast && at > 0) lines[at - 1] = String(lines[at - 1]).replace(/,$/, '');
        return lines.join('\n');
      },
    },
    {
      file: 'package-lock.json',
      edit: (text) =>
        editJson(text, (lock) => {
          const pkgName = lock.packages[`apps/${name}`]?.name ?? `@bundle/${name}`;
          delete lock.packages[`apps/${name}`];
          delete lock.packages[`node_modules/${pkgName}`];
        }),
    },
    {
      file: 'scripts/targets/cf/push-order.js',
      edit: (text) => editNameList(text, 'PUSH_ORDER', (names) => names.filter((n) => n !== name)),
    },
    { file: 'e2e/src/journeys/versions.js', edit: (text) => editNameList(text, 'APPS', (names) => names.filter((n) => n !== name)) },
    ...postgresRemoveChanges(name, postgres),
  ];
}

module.exports = { addChanges, removeChanges, manifestEntry, insertSorted };
