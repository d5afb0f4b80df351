import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const kit = join(__dirname, '../..');

/** Every .ts file under src, except the test helpers and config (its errors are boot lines, not HTTP answers). */
function sources(dir = join(kit, 'src')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return ['testing', 'config'].includes(entry.name) ? [] : sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The codes written in code positions: AppError/super(status, 'code'), status tables, `code ... 'x' : 'y'`. */
function codesInSources(): Set<string> {
  const patterns = [
    /(?:AppError|super)\(\s*\d{3},\s*'([a-z_]+)'/g,
    /^\s*\d{3}: '([a-z_]+)'/gm,
    /(?:code|CODES)[^'\n]*?(?<!=== )'([a-z_]+)'(?:\s*:\s*'([a-z_]+)')?/g,
  ];
  const codes = new Set<string>();
  for (const file of sources()) {
    const text = readFileSync(file, 'utf8');
    for (const pattern of patterns) {
      for (const match of text.matchAll(pattern)) for (const code of match.slice(1)) if (code) codes.add(code);
    }
  }
  return codes;
}

function codesInDoc(): Map<string, number> {
  const doc = readFileSync(join(kit, 'ERRORS.md'), 'utf8');
  return new Map([...doc.matchAll(/^\| `([a-z_]+)` \| (\d{3})/gm)].map((match) => [match[1] as string, Number(match[2])]));
}

describe('ERRORS.md', () => {
  test('when the kit uses an error code, then ERRORS.md lists it', () => {
    const used = codesInSources();
    // The scan itself must work: these are certainly used.
    expect([...used]).toEqual(
      expect.arrayContaining(['invalid_request', 'internal_error', 'upstream_timeout', 'headers_too_large', 'bad_request']),
    );
    const documented = codesInDoc();
    expect([...used].filter((code) => !documented.has(code))).toEqual([]);
  });

  test('when ERRORS.md lists a code, then the kit uses it or an app is named as its source', () => {
    const used = codesInSources();
    const appCodes = ['invalid_credentials'];
    expect([...codesInDoc().keys()].filter((code) => !used.has(code) && !appCodes.includes(code))).toEqual([]);
  });
});
