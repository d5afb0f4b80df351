/**
 * new-app's edits of the deploy files, and remove-app's, as text in and text out: every
 * kind of app (route or not, worker or not, own Redis or not) comes out again byte for
 * byte, and the template's @if blocks keep exactly what the options ask for.
 */
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const { addChanges, removeChanges } = require('../../edits') as typeof import('../../edits');
const { applyConditions, renderApp } = require('../../template') as typeof import('../../template');

type Spec = { name: string; route?: string; worker: boolean; redis?: string; description: string };
const SPECS: Spec[] = [
  { name: 'notes', route: '/api/notes', worker: false, redis: 'notes-db', description: 'Notes.' },
  { name: 'jobs', worker: true, description: 'Jobs.' },
  { name: 'feeds', route: '/api/feed', worker: true, redis: 'feeds-store', description: 'Feeds.' },
];
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
/**
 * The spec under a name the bundle does not hold yet (its route and Redis renamed alike):
 * after `scripts/new-app notes` the round trip adds a second app, not notes twice.
 */
function fresh(spec: Spec): Spec {
  const taken = (name: string) =>
    fs.existsSync(path.join(ROOT, 'apps', name)) || new RegExp(`^  - name: ${name}$`, 'm').test(read('manifest.yml'));
  let suffix = '';
  while (taken(`${spec.name}${suffix}`)) suffix = String(Number(suffix || 1) + 1);
  if (suffix === '') return spec;
  return {
    ...spec,
    name: `${spec.name}${suffix}`,
    route: spec.route && `${spec.route}${suffix}`,
    redis: spec.redis && `${spec.redis}${suffix}`,
  };
}

describe('the deploy file edits', () => {
  test.each(SPECS)('when $name is added and removed again, then every file is as it was', (given) => {
    const spec = fresh(given);
    const pkg = renderApp(spec).find((file) => file.file === `apps/${spec.name}/package.json`)?.content ?? '';
    const removals = removeChanges(spec.name, { bindings: spec.redis ? [spec.redis] : [], files: [] });
    for (const change of addChanges(spec, pkg)) {
      if (!('edit' in change)) continue;
      const before = read(change.file);
      const added = change.edit(before);
      const removal = removals.find((r) => r.file === change.file);
      expect([change.file, added === before]).toEqual([change.file, false]);
      expect([change.file, removal && 'edit' in removal ? removal.edit(added) : undefined]).toEqual([change.file, before]);
    }
  });

  test('when an app with a worker is added, then the Procfile gains both process types at its end, so no other type changes port', () => {
    const procfile = addChanges(SPECS[2] as Spec, '{}').find((change) => change.file === 'Procfile');
    const after = procfile && 'edit' in procfile ? procfile.edit(read('Procfile')) : '';
    expect(after.split('\n').filter(Boolean).slice(-2)).toEqual([
      'feeds: node -r ./packages/platform/dist/cli/procfile-env.js apps/feeds/dist/main.js',
      'feeds-worker: node -r ./packages/platform/dist/cli/procfile-env.js apps/feeds/dist/worker.js',
    ]);
    expect(after.startsWith(read('Procfile'))).toBe(true);
  });
});

describe('the template', () => {
  test('when a flag holds or not, then only its blocks are kept, and no marker line', () => {
    const text = [
      'a',
      '// @if worker',
      'b',
      '// @endif',
      '# @if !worker',
      'c',
      '# @endif',
      '<!-- @if redis -->',
      'd',
      '<!-- @endif -->',
    ].join('\n');
    expect(applyConditions(text, { worker: true, redis: false })).toBe('a\nb');
    expect(applyConditions(text, { worker: false, redis: true })).toBe('a\nc\nd');
  });

  test('when an app has no route, then it has no router, domain or fuzz test, and its document no /api path', () => {
    const files = renderApp(SPECS[1] as Spec);
    const names = files.map((file) => file.file);
    expect(names).toEqual(expect.arrayContaining(['apps/jobs/src/worker.ts', 'apps/jobs/src/store.ts']));
    expect(names.filter((name) => /routes|domain\/items|post-rate|fuzz/.test(name))).toEqual([]);
    expect(files.find((file) => file.file === 'apps/jobs/openapi.yaml')?.content).not.toMatch(/^ {2}\/api/m);
    expect(files.map((file) => file.content).join('\n')).not.toMatch(/@if|@endif|__\w+__/);
  });
});
