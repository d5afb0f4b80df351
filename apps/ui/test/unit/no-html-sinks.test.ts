import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * User data reaches the page only as text: no client source uses an HTML-parsing sink,
 * and the page has no inline script or style for the CSP to have to allow.
 */
const CLIENT_DIR = join(__dirname, '..', '..', 'src', 'client');
const HTML_SINKS =
  /\b(innerHTML|outerHTML|insertAdjacentHTML|createContextualFragment|DOMParser|document\.write|srcdoc)\b|\beval\s*\(|new Function\s*\(/;

describe('the client sources', () => {
  test('when scanned, then no TypeScript file uses an HTML sink', () => {
    const files = readdirSync(CLIENT_DIR).filter((file) => file.endsWith('.ts'));
    const offenders = files.flatMap((file) =>
      readFileSync(join(CLIENT_DIR, file), 'utf8')
        .split('\n')
        .map((line, index) => ({ where: `${file}:${index + 1}`, line }))
        .filter(({ line }) => HTML_SINKS.test(line) && !line.trim().startsWith('*') && !line.trim().startsWith('//')),
    );
    expect({ scanned: files.length > 3, offenders }).toEqual({ scanned: true, offenders: [] });
  });

  test('when the page is scanned, then it has no inline script, event handler or style attribute', () => {
    const page = readFileSync(join(CLIENT_DIR, 'index.html'), 'utf8');
    expect({
      inlineScripts: page.match(/<script(?![^>]*\ssrc=)[^>]*>/g) ?? [],
      handlers: page.match(/\son[a-z]+\s*=/g) ?? [],
      styles: page.match(/<style|\sstyle\s*=/g) ?? [],
      javascriptUrls: page.match(/javascript:/gi) ?? [],
    }).toEqual({ inlineScripts: [], handlers: [], styles: [], javascriptUrls: [] });
  });
});
