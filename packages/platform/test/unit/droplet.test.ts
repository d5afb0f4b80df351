import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyDroplet } from '../../src/local/droplet';

// A workspace's own node_modules (a version the root does not hoist: the kit's OpenTelemetry
// packages) must reach the droplet, whether it is a folder or, in a copy of the project that
// shares its installed packages, a link to one. A link was not followed: every app of such a
// copy failed to load the kit's telemetry SDK from its droplet.
let base: string;
beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'droplet-'));
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

function project(linked: boolean): string {
  const root = join(base, 'project');
  mkdirSync(join(root, 'packages', 'kit', 'dist'), { recursive: true });
  writeFileSync(join(root, 'packages', 'kit', 'package.json'), '{"name":"@bundle/kit"}');
  writeFileSync(join(root, 'packages', 'kit', 'dist', 'index.js'), 'module.exports = 1;');
  writeFileSync(join(root, 'manifest.yml'), 'applications: []\n');
  const modules = linked ? join(base, 'installed') : join(root, 'packages', 'kit', 'node_modules');
  mkdirSync(join(modules, 'only-the-kit-has-it'), { recursive: true });
  writeFileSync(join(modules, 'only-the-kit-has-it', 'index.js'), 'module.exports = "found";');
  if (linked) symlinkSync(modules, join(root, 'packages', 'kit', 'node_modules'));
  return root;
}

describe('copyDroplet', () => {
  test.each([
    ['a folder', false],
    ['a link to a folder', true],
  ])("when a workspace's own node_modules is %s, then the droplet's workspace reaches its packages", (_kind, linked) => {
    const root = project(linked);
    const droplet = join(base, 'droplet');
    copyDroplet(root, droplet, [root], join(root, 'manifest.yml'));
    const file = join(droplet, 'packages', 'kit', 'node_modules', 'only-the-kit-has-it', 'index.js');
    expect(existsSync(file) && readFileSync(file, 'utf8')).toBe('module.exports = "found";');
    expect(existsSync(join(droplet, 'packages', 'kit', 'dist', 'index.js'))).toBe(true);
  });
});
