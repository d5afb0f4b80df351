/**
 * The GitHub workflows' rules that actionlint cannot see (no runner runs here, so each is
 * pinned as GitHub documents it): least-privilege permissions, each space behind its
 * environment, the release tag out before production, no URL falling through from one
 * space to another, and CI on the Node.js lines package.json's engines allows.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import semver from 'semver';
import { parse } from 'yaml';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const FOLDER = path.join(ROOT, '.github', 'workflows');

interface Step {
  name?: string;
  run?: string;
  uses?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  needs?: string | string[];
  environment?: string | { name: string };
  permissions?: Record<string, string>;
  env?: Record<string, string>;
  strategy?: { matrix: { include?: Array<Record<string, string>>; node?: number[] } };
  steps: Step[];
}
interface Workflow {
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

const read = (name: string): Workflow => parse(fs.readFileSync(path.join(FOLDER, name), 'utf8')) as Workflow;
const NAMES = fs.readdirSync(FOLDER).filter((name) => name.endsWith('.yml'));
const needs = (job: Job) => (Array.isArray(job.needs) ? job.needs : job.needs ? [job.needs] : []);

/**
 * The first major of each action the workflows use that runs on Node 24 (its action.yml:
 * `runs.using: node24`); GitHub's runners stopped running actions on Node 20 in 2026.
 */
const NODE24_MAJOR: Record<string, number> = { 'actions/checkout': 5, 'actions/setup-node': 5, 'actions/upload-artifact': 6 };

describe('the actions the workflows use', () => {
  test('when a step uses an action, then it is one of the known ones at a major that runs on Node 24', () => {
    const used = NAMES.flatMap((name) =>
      Object.values(read(name).jobs).flatMap((job) => job.steps.flatMap((step) => (step.uses ? [[name, step.uses] as const] : []))),
    );
    expect(used.length).toBeGreaterThan(0);
    const stale = used.filter(([, uses]) => {
      const [action = '', version = ''] = uses.split('@');
      const major = Number(/^v(\d+)/.exec(version)?.[1] ?? NaN);
      return !(major >= (NODE24_MAJOR[action] ?? Infinity));
    });
    expect(stale).toEqual([]);
  });
});

describe('every workflow', () => {
  test.each(NAMES)('when %s runs, then GITHUB_TOKEN may read the repository and nothing more, unless a job says why', (name) => {
    const workflow = read(name);

    expect(workflow.permissions).toEqual({ contents: 'read' });
    const writers = Object.entries(workflow.jobs).filter(([, job]) => job.permissions !== undefined);
    expect(writers.map(([id, job]) => [id, job.permissions])).toEqual(name === 'main.yml' ? [['release', { contents: 'write' }]] : []);
  });

  test.each(NAMES)('when %s picks a value per space, then no expression falls through to another space', (name) => {
    // `cond && vars.A || vars.B` yields vars.B whenever vars.A is empty (GitHub's && and || return operands).
    expect(fs.readFileSync(path.join(FOLDER, name), 'utf8')).not.toMatch(/&&\s*vars\.\w+\s*\|\|\s*vars\./);
  });

  test.each(NAMES)('when %s sets up Node.js, then from .nvmrc or an LTS line engines allows', (name) => {
    const range = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).engines.node as string;
    for (const job of Object.values(read(name).jobs)) {
      for (const step of job.steps.filter((candidate) => candidate.uses?.startsWith('actions/setup-node'))) {
        if (step.with?.['node-version-file'] !== undefined) expect(step.with['node-version-file']).toBe('.nvmrc');
        else {
          expect(step.with?.['node-version']).toBe('${{ matrix.node }}');
          for (const line of job.strategy?.matrix.node ?? []) expect(semver.satisfies(`${line}.99.0`, range)).toBe(true);
        }
      }
    }
  });
});

describe('pr.yml', () => {
  test('when a pull request is tested, then unit and service run on every LTS line engines allows', () => {
    const range = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).engines.node as string;
    const lines = [20, 22, 24, 26].filter((major) => semver.intersects(`${major}.x`, range));

    const lts = read('pr.yml').jobs.lts;

    expect(lts?.strategy?.matrix.node).toEqual(lines);
    expect(lts?.steps.map((step) => step.run).filter(Boolean)).toContain('scripts/test -e unit,service');
  });
});

describe('main.yml', () => {
  const jobs = read('main.yml').jobs;

  test('when main is delivered, then test, release, staging and production are jobs in that order, each space behind its environment', () => {
    expect(Object.fromEntries(Object.entries(jobs).map(([id, job]) => [id, { needs: needs(job), environment: job.environment }]))).toEqual({
      test: { needs: [], environment: undefined },
      release: { needs: ['test'], environment: undefined },
      staging: { needs: ['release'], environment: 'staging' },
      production: { needs: ['release', 'staging'], environment: 'production' },
    });
  });

  test('when the release is made, then its commit and tag are pushed together before anything is deployed', () => {
    const pushes = (jobs.release?.steps ?? []).map((step) => step.run ?? '').filter((run) => run.includes('git push'));

    expect(pushes).toEqual(['git push --atomic origin HEAD:main "refs/tags/$TAG"']);
    for (const space of ['staging', 'production'])
      expect(jobs[space]?.steps[0]).toEqual({
        uses: 'actions/checkout@v5',
        with: { ref: '${{ needs.release.outputs.tag }}', 'fetch-depth': 0 },
      });
  });

  test.each(['staging', 'production'])('when %s is checked, then the journeys get its URLs', (space) => {
    const key = `E2E_${space.toUpperCase()}`;

    expect(jobs[space]?.env).toMatchObject({
      [`${key}_URL`]: `\${{ vars.${key}_URL }}`,
      [`${key}_APP_URL`]: `\${{ vars.${key}_APP_URL }}`,
    });
  });
});

describe('nightly.yml', () => {
  const job = read('nightly.yml').jobs.e2e as Job;
  const step = job.steps.find((candidate) => candidate.name?.startsWith('journeys against')) as Step;

  test("when a space's journeys run, then its own variables give the URLs", () => {
    expect(job.strategy?.matrix.include?.map(({ space, base_url, app_url }) => ({ space, base_url, app_url }))).toEqual([
      { space: 'staging', base_url: 'E2E_STAGING_URL', app_url: 'E2E_STAGING_APP_URL' },
      { space: 'production', base_url: 'E2E_PRODUCTION_URL', app_url: 'E2E_PRODUCTION_APP_URL' },
    ]);
    expect(step.env).toMatchObject({ BASE_URL: '${{ vars[matrix.base_url] }}', APP_URL: '${{ vars[matrix.app_url] }}' });
  });

  test('when the base URL variable is not set, then the step fails naming it and no journey runs', () => {
    // The step's script, as the runner would run it, in a folder whose scripts/e2e records that it ran.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nightly-'));
    try {
      fs.mkdirSync(path.join(dir, 'scripts'));
      fs.writeFileSync(path.join(dir, 'scripts', 'e2e'), '#!/bin/sh\necho "e2e ran: $*"\n', { mode: 0o755 });
      const script = (step.run ?? '').replaceAll('${{ matrix.base_url }}', 'E2E_STAGING_URL').replaceAll('${{ matrix.space }}', 'staging');

      const result = spawnSync('bash', ['-e', '-c', script], {
        cwd: dir,
        encoding: 'utf8',
        env: { PATH: process.env.PATH, BASE_URL: '', APP_URL: '', E2E_USER: '', ONLY: '' },
      });

      expect({ status: result.status, stdout: result.stdout }).toEqual({
        status: 1,
        stdout: '::error::vars.E2E_STAGING_URL is not set: the staging journeys have nowhere to go\n',
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
