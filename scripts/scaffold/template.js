// @ts-check
/**
 * Renders scripts/templates/app/ for one new app. Every file ends in `.tmpl` (so the
 * template is not compiled, linted or tested as it stands); names and contents take
 * __name__ (notes), __Name__ (Notes), __camel__ (notes), __NAME__ (NOTES), __route__
 * (/api/notes), __data__ (its Redis binding), __db__ (its PostgreSQL binding) and
 * __description__. A file `<name>.postgres.tmpl` is used in place of `<name>.tmpl` for an app
 * with PostgreSQL (and is left out for one without). Lines `// @if <flag>`,
 * `# @if <flag>` or `<!-- @if <flag> -->` (and `!<flag>`) up to the matching `@endif`
 * line are kept only when the flag holds; the marker lines themselves never are.
 */
const fs = require('node:fs');
const path = require('node:path');
const { ROOT } = require('../lib/run');

const TEMPLATE = path.join(ROOT, 'scripts', 'templates', 'app');

/**
 * @typedef {{ name: string, route?: string, worker: boolean, redis?: string, postgres?: string, description: string }} AppSpec
 *   route: undefined for no public route; redis: the binding of its own Redis, undefined for none;
 *   postgres: the binding of its PostgreSQL, undefined for none
 */

/** @param {string} name */
const pascal = (name) =>
  name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

/** @param {AppSpec} spec @returns {Record<string, boolean>} */
const flagsOf = (spec) => ({
  route: spec.route !== undefined,
  worker: spec.worker,
  redis: spec.redis !== undefined,
  postgres: spec.postgres !== undefined,
});

/** Files the template leaves out for an app without a route or a worker. */
const ONLY_WITH = {
  route: ['src/routes/__name__.ts', 'src/domain/items.ts', 'src/domain/post-rate.ts', 'test/service/fuzz.test.ts'],
  worker: ['src/worker.ts', 'src/worker/bus-reader.ts', 'test/service/worker.test.ts'],
};

/** @param {string} text @param {Record<string, boolean>} flags */
function applyConditions(text, flags) {
  const out = [];
  /** @type {boolean[]} */
  const keep = [];
  for (const line of text.split('\n')) {
    const marker = /^\s*(?:\/\/|#|<!--)\s*@(if|endif)\b\s*(!?)(\w*)/.exec(line);
    if (marker?.[1] === 'if') keep.push(marker[2] === '!' ? !flags[String(marker[3])] : Boolean(flags[String(marker[3])]));
    else if (marker?.[1] === 'endif') keep.pop();
    else if (keep.every(Boolean)) out.push(line);
  }
  return out.join('\n');
}

/** @param {string} text @param {AppSpec} spec */
function substitute(text, spec) {
  const Name = pascal(spec.name);
  return text
    .replaceAll('__name__', spec.name)
    .replaceAll('__Name__', Name)
    .replaceAll('__camel__', Name.charAt(0).toLowerCase() + Name.slice(1))
    .replaceAll('__NAME__', spec.name.toUpperCase().replaceAll('-', '_'))
    .replaceAll('__route__', spec.route ?? '')
    .replaceAll('__data__', spec.redis ?? 'event-bus')
    .replaceAll('__db__', spec.postgres ?? '')
    .replaceAll('__description__', spec.description);
}

/** @param {string} dir @returns {string[]} relative paths */
function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full).map((rel) => path.join(entry.name, rel)) : [entry.name];
  });
}

/**
 * The new app's files: path (relative to the repository) and content.
 * @param {AppSpec} spec @returns {{ file: string, content: string }[]}
 */
function renderApp(spec) {
  const flags = flagsOf(spec);
  const all = walk(TEMPLATE).map((rel) => rel.split(path.sep).join('/'));
  const variant = '.postgres.tmpl';
  return all
    .filter((rel) => rel.endsWith('.tmpl'))
    .filter((rel) =>
      rel.endsWith(variant) ? flags.postgres : !(flags.postgres && all.includes(`${rel.slice(0, -'.tmpl'.length)}${variant}`)),
    )
    .map((rel) => ({ source: rel, rel: rel.endsWith(variant) ? rel.slice(0, -variant.length) : rel.slice(0, -'.tmpl'.length) }))
    .filter(({ rel }) => Object.entries(ONLY_WITH).every(([flag, files]) => flags[flag] || !files.includes(rel)))
    .sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0))
    .map(({ source, rel }) => ({
      file: `apps/${spec.name}/${substitute(rel, spec)}`,
      content: substitute(applyConditions(fs.readFileSync(path.join(TEMPLATE, source), 'utf8'), flags), spec),
    }));
}

module.exports = { renderApp, applyConditions, pascal, TEMPLATE };
