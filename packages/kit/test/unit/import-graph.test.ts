import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const SOURCES = resolve(__dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Every relative import of each file, `import type` and `export ... from` included: a type import still ties two files. */
function importGraph(files: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const imported = ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.map((entry) => entry.fileName);
    const targets = imported
      .filter((name) => name.startsWith('.'))
      .map((name) => resolve(dirname(file), name))
      .map((target) => [`${target}.ts`, join(target, 'index.ts')].find((candidate) => existsSync(candidate)))
      .filter((target): target is string => target !== undefined);
    graph.set(file, targets);
  }
  return graph;
}

/** The circles of the graph, each as the path that closes it ("a -> b -> a"). */
function circles(graph: Map<string, string[]>): string[] {
  const found: string[] = [];
  const done = new Set<string>();
  const visit = (file: string, path: string[]): void => {
    const at = path.indexOf(file);
    if (at !== -1) {
      found.push([...path.slice(at), file].map((entry) => relative(SOURCES, entry)).join(' -> '));
      return;
    }
    if (done.has(file)) return;
    for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
    done.add(file);
  };
  for (const file of graph.keys()) visit(file, []);
  return found;
}

describe("the kit's import graph", () => {
  test('when every source file is read, then no import circle is found, not even through `import type`', () => {
    const graph = importGraph(sourceFiles(SOURCES));
    expect({ files: graph.size > 20, circles: circles(graph) }).toEqual({ files: true, circles: [] });
  });

  test('when two files import each other, then the check names the circle', () => {
    const a = join(SOURCES, 'a.ts');
    const b = join(SOURCES, 'b.ts');
    expect(
      circles(
        new Map([
          [a, [b]],
          [b, [a]],
        ]),
      ),
    ).toEqual(['a.ts -> b.ts -> a.ts']);
  });
});
