// @ts-check
/**
 * Removes what tsc once wrote into a workspace's dist/ for a source that is gone. tsc -b never
 * deletes an output: after src/bus.ts became src/bus/index.ts, the old dist/bus.d.ts and
 * dist/bus.js stayed, and `./bus` went on resolving to them (a file before a folder), so every
 * workspace importing the kit failed to build on a checkout that had built before the move.
 * A declaration file marks tsc's own output (the ui's client bundle under dist/ has none).
 */
const fs = require('node:fs');
const path = require('node:path');

const SOURCE_EXTENSIONS = ['.ts', '.js'];
const COMPANIONS = ['.d.ts', '.d.ts.map', '.js', '.js.map'];

/**
 * @param {string} workspace a folder with src/ and dist/
 * @returns {string[]} the files removed, relative to the workspace
 */
function pruneDist(workspace) {
  const dist = path.join(workspace, 'dist');
  /** @type {string[]} */
  const removed = [];
  /** @param {string} dir */
  const walk = (dir) => {
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.d.ts')) {
        const stem = full.slice(0, -'.d.ts'.length);
        const source = path.join(workspace, 'src', path.relative(dist, stem));
        if (SOURCE_EXTENSIONS.some((extension) => fs.existsSync(source + extension))) continue;
        for (const companion of COMPANIONS) {
          if (!fs.existsSync(stem + companion)) continue;
          fs.rmSync(stem + companion);
          removed.push(path.relative(workspace, stem + companion));
        }
      }
    }
  };
  walk(dist);
  return removed;
}

module.exports = { pruneDist };
