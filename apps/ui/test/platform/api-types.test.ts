import { execFile } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const SCRIPT = resolve(__dirname, '../../scripts/api-types.js');
const COMMITTED = resolve(__dirname, '../../src/client/generated');

/** Runs the generator; resolves with its exit code and output whatever the code. */
async function apiTypes(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [SCRIPT, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm run api-types', () => {
  let out: string;
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'api-types-'));
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  test('when the types are generated afresh, then they are the committed files byte for byte, and --check passes on them', async () => {
    const written = await apiTypes('--out', out);
    const files = readdirSync(COMMITTED).sort();
    expect({
      written: written.code,
      files: readdirSync(out).sort(),
      same: files.filter((file) => readFileSync(join(out, file), 'utf8') === readFileSync(join(COMMITTED, file), 'utf8')),
      check: await apiTypes('--check', '--out', out),
    }).toEqual({ written: 0, files, same: files, check: { code: 0, stdout: '', stderr: '' } });
  });

  test('when a generated file differs from its document, then --check exits 1 with one line naming the file and the command', async () => {
    appendFileSync(join(out, 'messages.ts'), '// edited by hand\n');
    const check = await apiTypes('--check', '--out', out);
    expect(check).toEqual({
      code: 1,
      stdout: '',
      stderr: expect.stringMatching(/^api-types: .*messages\.ts is stale: run npm run api-types\n$/),
    });
  });

  test('when an option is unknown, then the usage line, one line, exit 2', async () => {
    const result = await apiTypes('--bogus');
    expect({ code: result.code, lines: result.stderr.trimEnd().split('\n') }).toEqual({
      code: 2,
      lines: [expect.stringMatching(/^usage: npm run api-types/), "api-types: Unknown option '--bogus'"],
    });
  });
});
