import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// The page's files (packages/platform/console/): plain HTML, CSS and a script, read once.
const DIR = join(__dirname, '..', '..', '..', 'console');
const read = (name: string): string => readFileSync(join(DIR, name), 'utf8');

export const CONSOLE_HTML = read('index.html');
export const CONSOLE_CSS = read('console.css');
export const CONSOLE_JS = read('console.js');
