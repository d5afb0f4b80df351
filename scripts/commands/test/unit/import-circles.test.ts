/**
 * No import circle in any room of the repository (every package's and app's sources, the
 * scripts, e2e and the benches), type-only imports included: types two files share live in
 * a leaf (the kit's http/kit-state.ts, the platform's local/log-record.ts, scripts/targets/
 * types.d.ts). And the scripts' rooms in layers: a command requires targets and helpers, a
 * target requires helpers, a helper requires helpers. dpdm reads JavaScript and TypeScript
 * alike; it runs as its own process: its dependencies are ES modules jest would not load.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

describe('the imports of every room', () => {
  test('when every file is followed, then no circle, no helper or target requires a command, and no package, app or e2e file requires scripts/', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dpdm-'));
    const output = path.join(dir, 'tree.json');
    try {
      const result = spawnSync(
        path.join(ROOT, 'node_modules', '.bin', 'dpdm'),
        [
          '--no-tree',
          '--no-warning',
          '--no-circular',
          '--no-progress',
          '-o',
          output,
          'scripts/**/*.{js,ts}',
          'e2e/src/**/*.js',
          'packages/*/src/**/*.{js,ts}',
          'apps/*/src/**/*.ts',
          'bench/**/*.js',
        ],
        { cwd: ROOT, encoding: 'utf8', timeout: 60_000 },
      );
      expect(result.status).toBe(0);
      const { tree, circulars } = JSON.parse(fs.readFileSync(output, 'utf8')) as {
        tree: Record<string, { id: string | null }[] | null>;
        circulars: string[][];
      };

      expect(Object.keys(tree).length).toBeGreaterThan(200);
      expect(circulars).toEqual([]);
      // The rooms in layers, never back: commands -> targets -> lib (targets/index.js finds each
      // target's verb files by name, which no tool follows: this rule covers what it hides);
      // and e2e, the packages and the apps stand alone: nothing of theirs requires scripts/ (the
      // benches, tools of this checkout like the scripts, may build through scripts/lib).
      const layer = (file: string) => (/^scripts\/commands\//.test(file) ? 2 : /^scripts\/targets\//.test(file) ? 1 : 0);
      const upward = Object.entries(tree).flatMap(([file, dependencies]) =>
        (dependencies ?? []).flatMap(({ id }) =>
          id && !/\/test\//.test(file) && (layer(id) > layer(file) || (id.startsWith('scripts/') && /^(e2e|packages|apps)\//.test(file)))
            ? [`${file} -> ${id}`]
            : [],
        ),
      );
      expect(upward).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
