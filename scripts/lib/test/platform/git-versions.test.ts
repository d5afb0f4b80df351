/**
 * A release's version and commit, both ways, through the tags scripts/bump makes (vX.Y.Z on
 * the release commit): what scripts/releases shows on cf (the commit of APP_VERSION's tag)
 * and on heroku (the version of the tag on a slug's commit).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gitIn } from '../../testing/throwaway-repo';

const { commitOfVersion, versionOfCommit } = require('../../git') as {
  commitOfVersion: (version: string, cwd?: string) => string | undefined;
  versionOfCommit: (commit: string, cwd?: string) => string | undefined;
};

describe('commitOfVersion and versionOfCommit', () => {
  test('when v1.2.3 tags a commit, then each finds the other; an untagged commit or unknown version finds nothing', () => {
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'git-versions-'));
    try {
      gitIn(repo, 'init', '-q');
      gitIn(repo, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '--allow-empty', '-m', 'Release v1.2.3');
      gitIn(repo, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'tag', '-a', 'v1.2.3', '-m', 'v1.2.3');
      const tagged = gitIn(repo, 'rev-parse', 'HEAD');
      gitIn(repo, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '--allow-empty', '-m', 'later');
      const untagged = gitIn(repo, 'rev-parse', 'HEAD');

      expect([
        versionOfCommit(tagged.slice(0, 8), repo),
        commitOfVersion('1.2.3', repo),
        versionOfCommit(untagged.slice(0, 7), repo),
        commitOfVersion('9.9.9', repo),
        versionOfCommit('not-a-commit', repo),
      ]).toEqual(['1.2.3', tagged.slice(0, (commitOfVersion('1.2.3', repo) ?? '').length), undefined, undefined, undefined]);
      expect(commitOfVersion('1.2.3', repo)?.length).toBeGreaterThanOrEqual(7);
    } finally {
      fs.rmSync(repo, { recursive: true, force: true });
    }
  });
});
