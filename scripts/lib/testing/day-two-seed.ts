/**
 * What the day-two tests seed the fake cf and heroku with (fake-paas.ts): every app of the
 * manifest (and so of heroku.json) pushed at each version in turn, the last one deployed.
 */
import type { FakeCfApp, FakeHerokuRelease, Seed } from './fake-paas';
import { herokuAppsOf, manifestAppNames } from './bundle-apps';

const at = (n: number) => `2026-12-0${1 + Math.floor(n / 60)}T10:${String(n % 60).padStart(2, '0')}:00Z`;

/** cf: each app got one revision per version (an env change, then the droplet, for users at the last). */
export function cfSeed(versions: string[], apps = manifestAppNames()): Seed {
  const seeded: Record<string, FakeCfApp> = {};
  for (const [index, app] of apps.entries()) {
    const revisions = versions.map((version, n) => ({
      n: n + 1,
      env: { APP_VERSION: version, JWKS_URL: 'https://chat-staging.apps.example.com/.well-known/jwks.json' },
      description: n === 0 ? 'Initial revision.' : 'New droplet deployed. New environment variables deployed.',
      created: at(n * 10 + index),
    }));
    seeded[app] = { revisions, deployed: [revisions.length], processes: { web: { instances: 2, memory: 128 } } };
  }
  return { cf: { apps: seeded } };
}

/** heroku: staging built each version (Deploy <commit>), production got each by promotion; both current on the last. */
export function herokuSeed(builds: { version: string; commit: string }[], spaces = ['staging', 'production']): Seed {
  const apps: NonNullable<Seed['apps']> = {};
  for (const space of spaces)
    for (const [app, name] of Object.entries(herokuAppsOf(space))) {
      const releases: FakeHerokuRelease[] = [
        { version: 1, description: 'Initial release', current: false, status: 'succeeded', created_at: at(0), slug: null },
        ...builds.map((build, n) => ({
          version: n + 2,
          description: space === 'staging' ? `Deploy ${build.commit.slice(0, 8)}` : `Promote chat-${app}-staging v${n + 2}`,
          current: n === builds.length - 1,
          status: 'succeeded',
          created_at: at(n * 10 + 1),
          slug: { id: `slug-${app}-${build.version}` },
        })),
      ];
      apps[name] = { config: {}, buildpacks: [], releases };
    }
  return { apps };
}
