// @ts-check
/**
 * The bundle consistency check: the deploy files describe the same apps, processes,
 * routes and bindings. Each disagreement is one line naming both files.
 */
const { OPS_PATHS } = require('./bundle');

/** @typedef {import('./bundle').Bundle} Bundle */

/** `path` is `prefix` or under it. @param {string} path @param {string} prefix */
const under = (path, prefix) => prefix === '/' || path === prefix || path.startsWith(`${prefix.replace(/\/$/, '')}/`);

/** @param {Bundle} b @returns {string[]} */
function checkApps(b) {
  const names = b.manifest.map((app) => app.name);
  return [
    ...b.appDirs.filter((dir) => !names.includes(dir)).map((dir) => `apps/${dir}/ is an app folder, but manifest.yml has no app ${dir}`),
    ...names
      .filter((name) => !b.appDirs.includes(name))
      .map((name) => `manifest.yml has app ${name}, but apps/${name}/ is not an app folder (no package.json)`),
  ];
}

/** @param {Bundle} b @returns {string[]} */
function checkProcfile(b) {
  const problems = [];
  const manifestScripts = new Map(
    b.manifest.flatMap((app) =>
      app.processes.map((p) => /** @type {[string | undefined, string]} */ ([p.script, `${app.name} (${p.type})`])),
    ),
  );
  for (const app of b.manifest) {
    for (const p of app.processes) {
      if (p.script && !b.procfile.some((line) => line.script === p.script))
        problems.push(`manifest.yml runs ${p.script} (app ${app.name}, process ${p.type}), but Procfile has no line running it`);
    }
  }
  for (const line of b.procfile) {
    if (line.script && !manifestScripts.has(line.script))
      problems.push(`Procfile line ${line.type} runs ${line.script}, but manifest.yml has no process running it`);
  }
  return problems;
}

/** @param {Bundle} b @returns {string[]} */
function checkHerokuProcfiles(b) {
  const problems = [];
  for (const app of b.manifest) {
    const file = `heroku/${app.name}.Procfile`;
    const lines = b.herokuProcfiles[app.name];
    if (!lines) {
      problems.push(`manifest.yml has app ${app.name}, but ${file} does not exist`);
      continue;
    }
    for (const p of app.processes) {
      const line = lines.find((l) => l.type === p.type);
      if (!line) problems.push(`manifest.yml gives app ${app.name} process ${p.type}, but ${file} has no ${p.type} line`);
      else if (line.script !== p.script)
        problems.push(
          `${file} line ${p.type} runs ${line.script ?? line.command}, but manifest.yml's app ${app.name} runs ${p.script ?? p.command}`,
        );
    }
    for (const line of lines) {
      if (line.type !== 'release' && !app.processes.some((p) => p.type === line.type))
        problems.push(`${file} has process ${line.type}, but manifest.yml's app ${app.name} has no process ${line.type}`);
    }
  }
  for (const app of Object.keys(b.herokuProcfiles)) {
    if (!b.manifest.some((m) => m.name === app)) problems.push(`heroku/${app}.Procfile exists, but manifest.yml has no app ${app}`);
  }
  return problems;
}

/** @param {Bundle} b @returns {string[]} */
function checkHerokuJson(b) {
  const names = b.manifest.map((app) => app.name);
  return Object.entries(b.herokuSpaces).flatMap(([space, apps]) => [
    ...names
      .filter((name) => !apps.includes(name))
      .map((name) => `manifest.yml has app ${name}, but heroku.json's ${space} names no Heroku app for it`),
    ...apps
      .filter((app) => !names.includes(app))
      .map((app) => `heroku.json's ${space} names app ${app}, but manifest.yml has no app ${app}`),
  ]);
}

/** The public path routes (.env.example ROUTES against manifest.yml). @param {Bundle} b @returns {string[]} */
function checkRoutes(b) {
  if (!b.envRoutes) return ['manifest.yml routes paths, but .env.example has no ROUTES line'];
  const problems = [];
  /** @param {string} type */
  const appOfType = (type) => {
    const script = b.procfile.find((line) => line.type === type)?.script;
    return b.manifest.find((app) => app.processes.some((p) => p.script !== undefined && p.script === script))?.name;
  };
  const routed = b.manifest.flatMap((app) => app.publicRoutes.map((route) => ({ route, app: app.name })));
  for (const { route, app } of routed) {
    const entry = b.envRoutes.find((e) => e.path === route);
    const script = b.manifest.find((m) => m.name === app)?.processes.find((p) => p.type === 'web')?.script;
    if (!entry) problems.push(`manifest.yml routes ${route} to ${app}, but .env.example's ROUTES does not`);
    // An app the Procfile does not run at all is reported once, by the Procfile check.
    else if (appOfType(entry.type) !== app && b.procfile.some((line) => line.script === script)) {
      problems.push(
        `.env.example's ROUTES sends ${route} to process type ${entry.type}, but that Procfile line does not run ${app}, the app manifest.yml routes it to`,
      );
    }
  }
  for (const entry of b.envRoutes) {
    if (!routed.some((r) => r.route === entry.path))
      problems.push(`.env.example's ROUTES routes ${entry.path}, but manifest.yml routes no app there`);
  }
  return problems;
}

/** @param {Bundle} b @returns {string[]} */
function checkServices(b) {
  const problems = [];
  for (const app of b.manifest) {
    for (const service of app.services) {
      if (!b.catalogue.includes(service))
        problems.push(
          `manifest.yml binds ${service} to ${app.name}, but packages/platform/services.yml (the local marketplace) has no ${service}`,
        );
    }
    /** @type {Map<string, string[]>} */
    const missing = new Map();
    for (const { binding, file } of b.lookups[app.name] ?? []) {
      if (!app.services.includes(binding)) missing.set(binding, [...new Set([...(missing.get(binding) ?? []), file])]);
    }
    for (const [binding, files] of missing)
      problems.push(
        `${files.join(', ')} ${files.length > 1 ? 'look' : 'looks'} up binding ${binding}, but manifest.yml does not bind it to ${app.name}`,
      );
  }
  return [...new Set(problems)];
}

/**
 * An app bound to a PostgreSQL service has a release task: it is what applies the app's
 * migrations before a release takes traffic, on every target; without one the schema is never made.
 * @param {Bundle} b @returns {string[]}
 */
function checkPostgres(b) {
  return b.manifest.flatMap((app) =>
    app.services
      .filter((service) => b.catalogueTypes[service] === 'postgres')
      .filter(() => b.appDirs.includes(app.name) && !b.releaseTasks.includes(app.name))
      .map(
        (service) =>
          `manifest.yml binds PostgreSQL ${service} to ${app.name}, but apps/${app.name}/src/release.ts (the release task that runs its migrations) does not exist`,
      ),
  );
}

/** @param {Bundle} b @returns {string[]} */
function checkOpenApi(b) {
  const problems = [];
  // An app without a folder is reported once, by the app check.
  for (const app of b.manifest.filter((m) => b.appDirs.includes(m.name))) {
    const paths = (b.openapi[app.name] ?? []).filter((p) => !OPS_PATHS.includes(p));
    const file = `apps/${app.name}/openapi.yaml`;
    for (const p of paths) {
      if (!app.publicRoutes.some((route) => under(p, route)))
        problems.push(
          `${file} has path ${p}, but manifest.yml routes no prefix of it to ${app.name} (routes: ${app.publicRoutes.join(', ') || 'none'})`,
        );
    }
    for (const route of app.publicRoutes) {
      if (!paths.some((p) => under(p, route)))
        problems.push(`manifest.yml routes ${route} to ${app.name}, but ${file} has no path under it`);
    }
  }
  return problems;
}

/** Every disagreement, one line each. @param {Bundle} b @returns {string[]} */
function checkBundle(b) {
  return [
    ...checkApps(b),
    ...checkProcfile(b),
    ...checkHerokuProcfiles(b),
    ...checkHerokuJson(b),
    ...checkRoutes(b),
    ...checkServices(b),
    ...checkPostgres(b),
    ...checkOpenApi(b),
  ];
}

module.exports = { checkBundle };
