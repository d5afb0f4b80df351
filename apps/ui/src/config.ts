import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type convict from 'convict';

/** The ui needs nothing but the kit's base settings: the APIs are on its own origin. */
export interface UiSettings {
  publicDir: string;
  serveSourceMaps: boolean;
}

export const schema: convict.Schema<UiSettings> = {
  publicDir: {
    doc: 'Folder of the built web client (npm run build); empty means dist/public beside this app',
    format: String,
    default: '',
    env: 'UI_PUBLIC_DIR',
  },
  serveSourceMaps: {
    doc: "Serve the client's source maps (/assets/*.map): true only to debug; they carry the original source",
    format: 'true-or-false',
    default: false,
    env: 'UI_SERVE_SOURCE_MAPS',
  },
};

/** The version in this app's package.json (also right when run from dist/). */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
}

/** dist/public beside dist/main.js, unless UI_PUBLIC_DIR names another folder. */
export function defaultPublicDir(): string {
  return join(__dirname, '..', 'dist', 'public');
}
