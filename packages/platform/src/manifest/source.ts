import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { ManifestError } from './errors';

/** A parsed YAML file that can say where any of its nodes came from. */
export interface YamlSource {
  file: string;
  root: unknown;
  /** "manifest.yml:12:5" for a node, "manifest.yml" when the node has no position. */
  at(node: unknown): string;
}

/** Parses YAML keeping positions; a syntax error is one line with its line and column. */
export function parseYaml(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const error = document.errors[0];
  if (error) {
    const position = error.linePos?.[0];
    const where = position ? `${file}:${position.line}:${position.col}` : file;
    const reason = error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? 'invalid YAML';
    throw new ManifestError(`${where}: YAML error: ${reason}`);
  }
  return {
    file,
    root: document.contents,
    at(node: unknown): string {
      const range = (node as Node | undefined)?.range;
      if (!range) return file;
      const { line, col } = lineCounter.linePos(range[0]);
      return `${file}:${line}:${col}`;
    },
  };
}

export { isMap, isScalar, isSeq };
