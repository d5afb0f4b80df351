/**
 * A space's releases from each app's own (cf revisions, Heroku releases), and what a rollback
 * of every app does (lib/releases.js): the same lines on every target.
 */
type AppRelease = { id: string; version: string; when?: string; current: boolean; commit?: string };
type Release = { version: string; commit?: string; when?: string; current: boolean; detail?: string };
const { bundleReleases, rollbackMoves, releaseTable } = require('../../releases') as {
  bundleReleases: (histories: Record<string, AppRelease[]>) => Release[];
  rollbackMoves: (
    space: string,
    histories: Record<string, AppRelease[]>,
    to: string | undefined,
  ) => { from: string; to: string; moves: { app: string; release: AppRelease }[]; already: string[] };
  releaseTable: (releases: Release[]) => string[];
};

const at = (minute: number) => `2026-12-07T10:${String(minute).padStart(2, '0')}:00Z`;
/** tokens and users, each pushed 1.0.0 then 1.0.1 (users' env changed once at 1.0.1 too). */
const histories = (): Record<string, AppRelease[]> => ({
  tokens: [
    { id: '#2', version: '1.0.1', when: at(10), current: true },
    { id: '#1', version: '1.0.0', when: at(1), current: false },
  ],
  users: [
    { id: '#3', version: '1.0.1', when: at(12), current: true },
    { id: '#2', version: '1.0.1', when: at(11), current: false },
    { id: '#1', version: '1.0.0', when: at(2), current: false },
  ],
});

describe('bundleReleases', () => {
  test('when every app has two versions, then one release each, newest first, the current one marked, each app naming its newest of it', () => {
    expect(bundleReleases(histories())).toEqual([
      { version: '1.0.1', when: at(12), current: true, detail: 'tokens #2, users #3' },
      { version: '1.0.0', when: at(2), current: false, detail: 'tokens #1, users #1' },
    ]);
  });

  test('when an app is still on the older version, then no release is current and the newer one says which app lacks it', () => {
    const mixed = histories();
    mixed.users = mixed.users!.slice(2).map((release) => ({ ...release, current: true }));

    expect(bundleReleases(mixed)).toEqual([
      { version: '1.0.1', when: at(10), current: false, detail: 'tokens #2 (not on users)' },
      { version: '1.0.0', when: at(2), current: false, detail: 'tokens #1, users #1' },
    ]);
  });
});

describe('rollbackMoves', () => {
  test('when no version is named, then every app goes to the release before the current', () => {
    expect(rollbackMoves('production', histories(), undefined)).toEqual({
      from: '1.0.1',
      to: '1.0.0',
      moves: [
        { app: 'tokens', release: histories().tokens![1] },
        { app: 'users', release: histories().users![2] },
      ],
      already: [],
    });
  });

  test('when the version does not exist, then one line naming the versions that do', () => {
    expect(() => rollbackMoves('production', histories(), '0.9.0')).toThrow(
      new Error('production has no release 0.9.0 (its releases: 1.0.1, 1.0.0)'),
    );
  });

  test('when an app serves the version already (a push that stopped half way), then it is left alone', () => {
    const mixed = histories();
    mixed.users = mixed.users!.map((release) => ({ ...release, current: release.id === '#1' }));

    expect(rollbackMoves('production', mixed, '1.0.0')).toEqual({
      from: 'tokens 1.0.1, users 1.0.0',
      to: '1.0.0',
      moves: [{ app: 'tokens', release: histories().tokens![1] }],
      already: ['users'],
    });
    expect(() => rollbackMoves('production', mixed, undefined)).toThrow(
      'the apps of production serve different releases (tokens 1.0.1, users 1.0.0): name the one to go back to with --to',
    );
  });

  test('when there is only one release, then there is nothing to go back to, in one line', () => {
    const one = { tokens: [{ id: '#1', version: '1.0.0', current: true }] };

    expect(() => rollbackMoves('staging', one, undefined)).toThrow('staging has no release before 1.0.0 to roll back to');
  });
});

describe('releaseTable', () => {
  test('the columns line up under a header; an unknown commit or time is a dash', () => {
    expect(
      releaseTable([
        { version: '1.0.10', commit: 'abc1234', when: '2026-12-07T10:12:00.000Z', current: true, detail: 'v42' },
        { version: '1.0.9', current: false },
      ]),
    ).toEqual([
      'version  commit   when                     current',
      '1.0.10   abc1234  2026-12-07 10:12:00 UTC  current  v42',
      '1.0.9    -        -',
    ]);
  });
});
