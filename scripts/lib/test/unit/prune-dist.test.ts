import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pruneDist } from '../../prune-dist';

/** A workspace with the given files (path -> content). */
function workspace(files: string[]): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'prune-dist-'));
  for (const file of files) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), '');
  }
  return root;
}

const listed = (root: string): string[] =>
  (fs.readdirSync(root, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
    .sort();

describe('pruneDist', () => {
  test('when a source became a folder, then its old outputs go, and the outputs of every source, a JS source and a bundle stay', () => {
    const root = workspace([
      'src/bus/index.ts',
      'src/app.ts',
      'src/args.js',
      'dist/bus.js',
      'dist/bus.js.map',
      'dist/bus.d.ts',
      'dist/bus.d.ts.map',
      'dist/bus/index.js',
      'dist/bus/index.d.ts',
      'dist/app.js',
      'dist/app.d.ts',
      'dist/args.d.ts',
      'dist/public/assets/app-7JNT.js',
      'dist/.tsbuildinfo',
    ]);

    const removed = pruneDist(root);

    expect(removed.sort()).toEqual(['dist/bus.d.ts', 'dist/bus.d.ts.map', 'dist/bus.js', 'dist/bus.js.map']);
    expect(listed(root)).toEqual([
      'dist/.tsbuildinfo',
      'dist/app.d.ts',
      'dist/app.js',
      'dist/args.d.ts',
      'dist/bus/index.d.ts',
      'dist/bus/index.js',
      'dist/public/assets/app-7JNT.js',
      'src/app.ts',
      'src/args.js',
      'src/bus/index.ts',
    ]);
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('when there is no dist, then nothing is removed', () => {
    const root = workspace(['src/app.ts']);
    expect(pruneDist(root)).toEqual([]);
    fs.rmSync(root, { recursive: true, force: true });
  });
});
