/**
 * What `cf push` uploads (scripts/targets/cf/upload.js applies cf's built-in ignore lines and
 * the repository's .cfignore with gitignore rules, as cf does): no secrets, local state,
 * tests, benches or node_modules, and every file the manifest's commands run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../../../../lib/testing/throwaway-repo';
import { manifestApps } from '../../../../lib/testing/bundle-apps';

const { uploadRules, uploadOf } = require('../../upload') as {
  uploadRules: (dir: string) => { ignores: (file: string) => boolean };
  uploadOf: (dir: string) => { files: string[]; bytes: number };
};

/** A folder with the repository's .cfignore and the given files (path -> content). */
function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfignore-'));
  fs.copyFileSync(path.join(ROOT, '.cfignore'), path.join(dir, '.cfignore'));
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

/**
 * cf's own way of matching, written from its rules (cloudfoundry/cli
 * actor/sharedaction/resource.go walks every path, a folder's files included, and skips
 * those its matcher, sabhiram/go-gitignore, says match): each line becomes one regular
 * expression over the whole relative path; `*` stays within one folder; a leading `/`
 * anchors at the root, else the line may match at any depth; every line also matches what
 * lies under what it names; the last matching line decides, and a `!` line only clears a
 * match. cf adds its DefaultIgnoreLines after the .cfignore's lines.
 */
function cfMatcher(lines: string[]): (file: string) => boolean {
  const rules = lines
    .map((line) => line.replace(/\r$/, '').trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const negate = line.startsWith('!');
      let body = negate ? line.slice(1) : line;
      const anchored = body.startsWith('/');
      if (anchored) body = body.slice(1);
      const folder = body.endsWith('/');
      const pattern = body
        .split('')
        .map((char) => (char === '*' ? '[^/]*' : /[.+?^${}()|[\]\\]/.test(char) ? `\\${char}` : char))
        .join('');
      return { negate, regex: new RegExp(`^${anchored ? '' : '(|.*/)'}${pattern}${folder ? '(|.*)' : '(|/.*)'}$`) };
    });
  return (file) => rules.reduce((matched, rule) => (rule.regex.test(file) ? !rule.negate : matched), false);
}

/** Every file under `dir`, as cf walks it (into every folder). */
function allFiles(dir: string, rel = ''): string[] {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((entry) => {
    const file = rel ? `${rel}/${entry.name}` : entry.name;
    return entry.isDirectory() ? allFiles(dir, file) : [file];
  });
}

describe('what cf push uploads from the repository root', () => {
  test('when a checkout holds secrets, local state, tests, benches and node_modules, then only the manifests, lockfile, dist/ and openapi.yaml go up', () => {
    const dir = tree({
      '.env': 'SERVICE_KEY=secret',
      '.env.staging': 'SERVICE_KEY=secret',
      '.local/staging/credentials.json': '{"key":"secret"}',
      '.local/dev/redis/dump.rdb': 'REDIS',
      'dump.rdb': 'REDIS',
      '.git/config': '[core]',
      '.gitignore': 'node_modules/',
      'manifest.yml': 'applications: []',
      'package.json': '{}',
      'package-lock.json': '{}',
      'README.md': '# readme',
      'node_modules/koa/index.js': 'module.exports = 1',
      'apps/users/package.json': '{}',
      'apps/users/openapi.yaml': 'openapi: 3.1.0',
      'apps/users/dist/main.js': '',
      'apps/users/dist/routes/users.js': '',
      'apps/users/src/main.ts': '',
      'apps/users/test/service/register.test.ts': '',
      'apps/users/node_modules/x/index.js': '',
      'apps/users/tsconfig.tsbuildinfo': '',
      'apps/ui/dist/public/index.html': '<html></html>',
      'packages/kit/package.json': '{}',
      'packages/kit/dist/index.js': '',
      'packages/kit/src/index.ts': '',
      'packages/kit/test/unit/a.test.ts': '',
      'e2e/package.json': '{}',
      'e2e/src/journeys/sign-up.ts': '',
      'e2e/results/run-1/shot.png': '',
      'bench/package.json': '{}',
      'bench/push/run.js': '',
      'scripts/push': '',
      'docs/delivery.md': '',
      'coverage/lcov.info': '',
      'tokens.pem': '-----BEGIN PRIVATE KEY-----',
    });

    expect(uploadOf(dir).files.sort()).toEqual(
      [
        'apps/ui/dist/public/index.html',
        'apps/users/dist/main.js',
        'apps/users/dist/routes/users.js',
        'apps/users/openapi.yaml',
        'apps/users/package.json',
        'bench/package.json',
        'e2e/package.json',
        'package-lock.json',
        'package.json',
        'packages/kit/dist/index.js',
        'packages/kit/package.json',
      ].sort(),
    );
    fs.rmSync(dir, { recursive: true, force: true });
  });

  // dist/ exists only after a build: the rules must keep what the commands run either way.
  test('this checkout: under 10 MB, nothing from node_modules, tests, .env or .local, and no file a manifest command runs is left out', () => {
    const manifest = fs.readFileSync(path.join(ROOT, 'manifest.yml'), 'utf8');
    const entryPoints = [...manifest.matchAll(/command: exec node (\S+)/g)].map((match) => match[1] as string);
    expect(entryPoints.length).toBeGreaterThan(5);
    expect(new Set(manifestApps(ROOT).map((app) => app.path))).toEqual(new Set(['.']));

    const { files, bytes } = uploadOf(ROOT);
    const unwanted = files.filter(
      (file) =>
        /(^|\/)(node_modules|test|src|\.local|coverage|results)\//.test(file) || /(^|\/)\.env/.test(file) || /\.test\.[jt]s$/.test(file),
    );

    expect({ unwanted, under10MB: bytes < 10e6 }).toEqual({ unwanted: [], under10MB: true });
    const rules = uploadRules(ROOT);
    const needed = [
      ...entryPoints,
      'package.json',
      'package-lock.json',
      'apps/ui/dist/public/index.html',
      'apps/users/openapi.yaml',
      'packages/kit/dist/index.js',
    ];
    expect(needed.filter((file) => rules.ignores(file))).toEqual([]);
  });

  test("cf's own way of matching keeps exactly the files the ignore package keeps, in this checkout", () => {
    const cfignore = fs.readFileSync(path.join(ROOT, '.cfignore'), 'utf8').split('\n');
    const matches = cfMatcher([
      ...cfignore,
      '.cfignore',
      '.DS_Store',
      '.git',
      '.gitignore',
      '.hg',
      '.svn',
      '_darcs',
      'manifest.yaml',
      'manifest.yml',
    ]);
    const byCf = allFiles(ROOT).filter((file) => !matches(file));

    expect(byCf.sort()).toEqual(uploadOf(ROOT).files.sort());
    // and folders the upload needs are not themselves matched (cf sends their entries too)
    expect(['apps', 'apps/users', 'apps/users/dist', 'packages/kit/dist', 'e2e'].filter((folder) => matches(folder))).toEqual([]);
  });

  test('cf reads no .gitignore: without a .cfignore, node_modules and .env would go up (what the .cfignore fixes)', () => {
    const dir = tree({ '.gitignore': 'node_modules/\n.env\n', '.env': 'SECRET=1', 'node_modules/koa/index.js': '', 'package.json': '{}' });
    fs.rmSync(path.join(dir, '.cfignore'));

    expect(uploadOf(dir).files.sort()).toEqual(['.env', 'node_modules/koa/index.js', 'package.json']);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
