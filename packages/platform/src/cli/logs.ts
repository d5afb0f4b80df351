import { controlRequest } from '../local/control';
import { createFormatter, lineSplitter, type LogRecord } from '../local/logs';
import { dataDirOf, fail, parseCommand, type Command } from './common';

export const COMMAND: Command = {
  name: 'logs',
  usage: 'usage: scripts/logs [space] [app] [--json] [--recent]',
  about: "Follows a running space's merged logs, like cf logs (pretty at a terminal).",
  positionals: ['[space]  the space (default dev)', '[app]    only this app'],
  maxPositionals: 2,
  options: {
    json: { type: 'boolean', doc: 'raw JSON lines, even at a terminal' },
    recent: { type: 'boolean', doc: 'print what is buffered and exit instead of following' },
  },
};

/** --help and bad arguments answer and exit here. */
export function parse(argv: string[]): { space: string; app?: string; json: boolean; recent: boolean } {
  const parsed = parseCommand(argv, COMMAND);
  const [space = 'dev', app] = parsed.positionals;
  return { space, ...(app ? { app } : {}), json: parsed.values.json === true, recent: parsed.values.recent === true };
}

/** scripts/logs <space> [app] [--json] [--recent]: follows the space's merged log like `cf logs`. */
export async function main(argv: string[]): Promise<void> {
  const args = parse(argv);
  const { space: spaceName, app } = args;
  const pretty = process.stdout.isTTY === true && !args.json;
  const format = createFormatter({ pretty, color: pretty });
  const query = new URLSearchParams({ follow: args.recent ? '0' : '1', ...(app ? { app } : {}) });
  const res = await controlRequest(dataDirOf(spaceName), 'GET', `/logs?${query.toString()}`).catch((error: Error) => fail('logs', error.message));
  const splitter = lineSplitter((line) => process.stdout.write(`${format(JSON.parse(line) as LogRecord)}\n`));
  res.on('data', (chunk: Buffer) => splitter.push(chunk));
  await new Promise((resolve) => res.on('end', resolve));
  splitter.end();
  if (!args.recent) process.stdout.write(`logs: space ${spaceName} stopped\n`);
}
