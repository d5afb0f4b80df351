/**
 * What the cf verbs read from the cf CLI's output, against that output as cloudfoundry/cli
 * v8.9.1 prints it: `cf revisions` (command/v7/revisions_command.go: the table "revision
 * description deployable revision guid created at", the deployed revision marked
 * "N(deployed)"), `cf revision --version N` (command/v7/revision_command.go: key-value lines,
 * then "application environment variables:" and "NAME:   value" lines), `cf env`
 * (command/v7/env_command.go: System-Provided JSON, User-Provided, the running and staging groups).
 */
const { parseRevisions, parseRevisionVersion } = require('../../revisions') as {
  parseRevisions: (
    output: string,
  ) => { revision: number; deployed: boolean; description: string; deployable: boolean; guid: string; createdAt: string }[];
  parseRevisionVersion: (output: string) => string | undefined;
};
const { parseCfEnv } = require('../../env') as { parseCfEnv: (output: string) => Record<string, string> };

describe('cf revisions', () => {
  test('when cf prints its table, then every row: number, deployed, description with spaces, deployable, guid, time', () => {
    const output = [
      'Getting revisions for app users in org chat / space production as ci...',
      '',
      'revision      description                                                 deployable   revision guid                          created at',
      '4(deployed)   New droplet deployed. New environment variables deployed.   true         fc97447e-6ed5-476e-a5d4-a63d13595864   2025-05-06T22:31:23Z',
      '3             Rolled back to revision 1.                                  false        9bb22e08-90a5-4bf7-a9b3-bfd1509d140f   2025-05-06T22:27:07Z',
      '1             Initial revision.                                           true         94b91422-7ba6-4990-b9ff-324b2a9712e4   2025-05-06T22:18:20Z',
    ].join('\n');

    expect(parseRevisions(output)).toEqual([
      {
        revision: 4,
        deployed: true,
        description: 'New droplet deployed. New environment variables deployed.',
        deployable: true,
        guid: 'fc97447e-6ed5-476e-a5d4-a63d13595864',
        createdAt: '2025-05-06T22:31:23Z',
      },
      {
        revision: 3,
        deployed: false,
        description: 'Rolled back to revision 1.',
        deployable: false,
        guid: '9bb22e08-90a5-4bf7-a9b3-bfd1509d140f',
        createdAt: '2025-05-06T22:27:07Z',
      },
      {
        revision: 1,
        deployed: false,
        description: 'Initial revision.',
        deployable: true,
        guid: '94b91422-7ba6-4990-b9ff-324b2a9712e4',
        createdAt: '2025-05-06T22:18:20Z',
      },
    ]);
  });
});

describe('cf revision --version N', () => {
  test("when the revision's environment has APP_VERSION, then that is its version; a description naming a version does not count", () => {
    const output = [
      'Showing revision 4 for app users in org chat / space production as ci...',
      '',
      'revision:        4',
      'deployed:        true',
      'description:     APP_VERSION: 9.9.9',
      '',
      'labels:',
      'annotations:',
      'application environment variables:',
      'APP_VERSION:   1.4.2',
      'NODE_OPTIONS:  --max-old-space-size=80',
    ].join('\n');

    expect(parseRevisionVersion(output)).toBe('1.4.2');
    expect(parseRevisionVersion(output.replace('APP_VERSION:   1.4.2', ''))).toBeUndefined();
  });
});

describe('cf env', () => {
  test('when cf prints every section, then system, running and user-provided variables (the user winning), never the staging group', () => {
    const output = [
      'Getting env variables for app users in org chat / space production as ci...',
      'System-Provided:',
      'VCAP_SERVICES: {',
      '  "p.redis": [',
      '    { "name": "users-db", "credentials": { "password": "pw" } }',
      '  ]',
      '}',
      '',
      'VCAP_APPLICATION: {',
      '  "application_name": "users"',
      '}',
      '',
      '',
      'User-Provided:',
      'APP_VERSION: 1.4.2',
      'LOG_LEVEL: debug',
      '',
      'Running Environment Variable Groups:',
      'LOG_LEVEL: info',
      'RUNNING_ONLY: yes',
      '',
      'Staging Environment Variable Groups:',
      'STAGING_ONLY: x',
      '',
    ].join('\n');

    expect(parseCfEnv(output)).toEqual({
      VCAP_SERVICES: '{"p.redis":[{"name":"users-db","credentials":{"password":"pw"}}]}',
      VCAP_APPLICATION: '{"application_name":"users"}',
      APP_VERSION: '1.4.2',
      LOG_LEVEL: 'debug',
      RUNNING_ONLY: 'yes',
    });
  });
});
