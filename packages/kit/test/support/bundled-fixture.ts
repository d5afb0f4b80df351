import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';

/**
 * A fixture app bundled with the kit's sources into a temporary main.js, its packages left
 * external (they load from node_modules, as in an app), built before the file's tests and
 * removed after them. Returns a getter: the path exists only once beforeAll has run.
 */
export function bundledFixture(entry: string, target: string): () => string {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kit-fixture-'));
    buildSync({
      entryPoints: [entry],
      outfile: join(dir, 'main.js'),
      bundle: true,
      platform: 'node',
      target,
      packages: 'external',
      logLevel: 'error',
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return () => join(dir, 'main.js');
}
