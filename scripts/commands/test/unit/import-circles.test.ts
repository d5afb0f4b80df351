/**
 * No import circle in the scripts' rooms (scripts/, e2e/src, packages/args): a command
 * requires targets and helpers, a target requires helpers, a helper requires helpers, and
 * the interfaces they share are types in a leaf (scripts/targets/types.d.ts). dpdm reads
 * JavaScript and TypeScript alike (type-only imports count too); a repository-wide check can
 * take more globs. It runs as its own process: its dependencies are ES modules jest would not load.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

describe('the imports of the scripts, e2e and the argument package', () => {
  test('when every file is followed, then no circle, no helper or target requires a command, and nothing outside scripts/ requires it', () => {
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
          'packages/args/src/**/*.js',
        ],
        { cwd: ROOT, encoding: 'utf8', timeout: 60_000 },
      );
      expect(result.status).toBe(0);
      const { tree, circulars } = JSON.parse(fs.readFileSync(output, 'utf8')) as {
        tree: Record<string, { id: string | null }[] | null>;
        circulars: string[][];
      };

      expect(Object.keys(tree).length).toBeGreaterThan(50);
      expect(circulars).toEqual([]);
      // The rooms in layers, never back: commands -> targets -> lib (targets/index.js finds each
      // target's verb files by name, which no tool follows: this rule covers what it hides);
      // and e2e and the argument package stand alone: nothing of theirs requires scripts/.
      const layer = (file: string) => (/^scripts\/commands\//.test(file) ? 2 : /^scripts\/targets\//.test(file) ? 1 : 0);
      const upward = Object.entries(tree).flatMap(([file, dependencies]) =>
        (dependencies ?? []).flatMap(({ id }) =>
          id && !/\/test\//.test(file) && (layer(id) > layer(file) || (id.startsWith('scripts/') && !file.startsWith('scripts/')))
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
