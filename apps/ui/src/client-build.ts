import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError } from '@bundle/kit';

/** The built client as the server needs it: where its files are, and the page itself. */
export interface ClientBuild {
  publicDir: string;
  /** index.html, read once: it is small and changes only with a new build (and a restart). */
  page: Buffer;
}

/**
 * Finds the built client, or stops the boot with one line saying how to make it: a ui
 * without its page would pass health checks and serve nothing but 404s.
 */
export function readClientBuild(publicDir: string): ClientBuild {
  const folder = resolve(publicDir);
  let page: Buffer;
  try {
    page = readFileSync(join(folder, 'index.html'));
  } catch {
    throw new ConfigError(`UI_PUBLIC_DIR: no built web client in ${folder} (run \`npm run build\` first)`, 'UI_PUBLIC_DIR');
  }
  if (!/<script src="\/assets\/[^"]+"/.test(page.toString('utf8'))) {
    throw new ConfigError(
      `UI_PUBLIC_DIR: ${join(folder, 'index.html')} is not a built page (run \`npm run build\` first)`,
      'UI_PUBLIC_DIR',
    );
  }
  return { publicDir: folder, page };
}
