/**
 * A real `scripts/push <space> --target cf` against a fake `cf` on PATH that records its
 * calls: the apps go one at a time, and an app whose rollout fails (cf push exits non-zero,
 * as it does when a deployment with a strategy fails) stops the push, named, before the
 * apps after it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, sh } from '../../../../lib/testing/throwaway-repo';

const VERSION = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version as string;

/** A `cf` that logs each call to $CF_CALLS and fails `cf push <failApp>`. */
function fakeCf(failApp: string): { bin: string; calls: () => string[] } {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-cf-'));
  const log = path.join(bin, 'calls');
  fs.writeFileSync(
    path.join(bin, 'cf'),
    `#!/bin/sh\necho "cf $*" >> '${log}'\nif [ "$1" = push ] && [ "$2" = '${failApp}' ]; then echo "deployment of $2 failed" >&2; exit 1; fi\nexit 0\n`,
    { mode: 0o755 },
  );
  return { bin, calls: () => fs.readFileSync(log, 'utf8').split('\n').filter(Boolean) };
}

describe('scripts/push --target cf, run for real against a fake cf', () => {
  test('when the messages rollout fails, then the push stops there with exit 1, naming messages and the apps not pushed', () => {
    const cf = fakeCf('messages');
    const result = sh(path.join(ROOT, 'scripts', 'push'), ['staging', '--target', 'cf'], ROOT, {
      PATH: `${cf.bin}${path.delimiter}${process.env.PATH ?? ''}`,
    });

    const push = (app: string) => `cf push ${app} -f manifest.yml --vars-file vars/staging.yml --var version=${VERSION} --strategy rolling`;
    expect(cf.calls()).toEqual([
      'cf target',
      'cf target -s staging',
      push('tokens'),
      push('users'),
      'cf add-network-policy tokens users --port 8080 --protocol tcp',
      push('messages'),
    ]);
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n').pop()).toBe(
      'push: cf push messages failed: its rolling deployment did not complete (see above); not pushed: push, ui',
    );
    fs.rmSync(cf.bin, { recursive: true, force: true });
  });
});
