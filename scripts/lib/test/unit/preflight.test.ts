/**
 * What scripts/test checks first: the Node.js version against package.json's engines (the
 * LTS lines CI tests) and each program the chosen environments start, with how to install it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const { allowed, wanted } = require('../../node-version') as {
  allowed(version: string): boolean | undefined;
  wanted(): { range: string; pinned: string };
};
const { problems, installLines } = require('../../preflight') as {
  problems(needed: string[], env: NodeJS.ProcessEnv, nodeVersion?: string): string[];
  installLines(missing: string[]): string[];
};

describe('engines.node', () => {
  test.each([
    ['20.19.0', false],
    ['20.20.2', false],
    ['22.11.0', false],
    ['22.12.0', true],
    ['22.23.5', true],
    ['23.11.0', false],
    ['24.0.0', true],
    ['24.22.3', true],
    ['25.0.0', false],
  ])('when Node.js is %s, then allowed is %s', (version, expected) => {
    expect(allowed(version)).toBe(expected);
  });

  // Cloud Foundry's nodejs-buildpack warns "Dangerous semver range" when engines.node is "*"
  // or starts with ">" (warn_node_engine), then takes the newest version it carries that
  // matches (libbuildpack FindMatchingVersion; Masterminds/semver reads ^ and ||).
  test('when Cloud Foundry reads engines, then it is not a range its buildpack calls dangerous', () => {
    expect(wanted().range).not.toMatch(/^\s*(>|\*\s*$)/);
  });

  // Heroku's Node.js buildpack calls a range that spans majors with no upper limit "wide",
  // warns, and resolves it to the Active LTS only (changelog, 10 December 2025).
  test('when Heroku reads engines, then it has an upper limit', () => {
    expect(allowed('25.0.0')).toBe(false);
    expect(allowed('99.0.0')).toBe(false);
  });

  test('when CI installs the .nvmrc version, then engines allows it', () => {
    expect(allowed(wanted().pinned)).toBe(true);
  });
});

describe('preflight problems', () => {
  let bin: string;
  beforeEach(() => (bin = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-'))));
  afterEach(() => fs.rmSync(bin, { recursive: true, force: true }));

  /** An executable named `name` in the temporary PATH folder. */
  const fake = (name: string) => fs.writeFileSync(path.join(bin, name), '#!/bin/sh\nexit 0\n', { mode: 0o755 });

  test('when every program is on PATH and Node.js is supported, then none', () => {
    for (const name of ['redis-server', 'chromium', 'git']) fake(name);

    expect(problems(['redis-server', 'chromium', 'git'], { PATH: bin }, '24.22.3')).toEqual([]);
  });

  test('when redis-server and chromium are missing, then one line naming both and the lines that install them', () => {
    fake('git');

    expect(problems(['redis-server', 'chromium', 'git'], { PATH: bin }, '24.22.3')).toEqual([
      'missing: redis-server (service and platform tests start their own), chromium (the browser journey drives it); install with',
      '  Debian/Ubuntu: sudo apt-get install -y redis-server chromium',
      '  Fedora:        sudo dnf install -y redis chromium',
      '  macOS:         brew install redis && brew install --cask chromium',
      '  (or set CHROMIUM_PATH to a Chromium or Chrome binary)',
    ]);
  });

  test('when nginx is missing (NGINX_PATH names no file), then the lines that install it and NGINX_PATH', () => {
    for (const name of ['redis-server', 'chromium', 'git']) fake(name);

    expect(problems(['redis-server', 'chromium', 'git', 'nginx'], { PATH: bin, NGINX_PATH: path.join(bin, 'nginx') }, '24.22.3')).toEqual([
      'missing: nginx (the Heroku gateway runs through it locally); install with',
      '  Debian/Ubuntu: sudo apt-get install -y nginx',
      '  Fedora:        sudo dnf install -y nginx',
      '  macOS:         brew install nginx',
      '  (or set NGINX_PATH to an nginx binary)',
    ]);
  });

  test('when nginx is on PATH, then none', () => {
    fake('nginx');

    expect(problems(['nginx'], { PATH: bin }, '24.22.3')).toEqual([]);
  });

  test('when CHROMIUM_PATH names a file that is not there, then the line says so (it only said to set it)', () => {
    expect(problems(['chromium'], { PATH: '', CHROMIUM_PATH: '/nonexistent/chromium' }, '24.22.3').at(-1)).toBe(
      '  (or set CHROMIUM_PATH to a Chromium or Chrome binary: /nonexistent/chromium, which it names now, does not exist)',
    );
  });

  test('when CHROMIUM_PATH names a binary, then chromium need not be on PATH', () => {
    fake('browser');

    expect(problems(['chromium'], { PATH: '', CHROMIUM_PATH: path.join(bin, 'browser') }, '24.22.3')).toEqual([]);
  });

  test('when Node.js is 20, then the version, the range and what to install', () => {
    expect(problems([], { PATH: bin }, '20.20.2')).toEqual([
      `Node.js 20.20.2 is not supported (package.json engines: ${wanted().range}); install Node.js ${wanted().pinned} (.nvmrc: \`nvm install\`), or run .ci/run, which installs it`,
    ]);
  });

  test('when PostgreSQL is missing, then the install lines name its package on each system', () => {
    expect(installLines(['redis-server', 'postgresql'])).toEqual([
      '  Debian/Ubuntu: sudo apt-get install -y redis-server postgresql',
      '  Fedora:        sudo dnf install -y redis postgresql-server',
      '  macOS:         brew install redis postgresql@16',
    ]);
  });
});
