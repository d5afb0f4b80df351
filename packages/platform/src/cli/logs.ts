import { controlRequest } from '../local/control';
import { createFormatter, lineSplitter, type LogRecord } from '../local/logs';
import { dataDirOf, fail, parseArgs } from './common';

/** scripts/logs <space> [app] [--json] [--recent]: follows the space's merged log like `cf logs`. */
export async function main(argv: string[]): Promise<void> {
  const args = parseArgs('logs', argv, ['--json', '--recent']);
  const [spaceName = 'dev', app] = args.positional;
  const pretty = process.stdout.isTTY === true && !args.flags.has('--json');
  const format = createFormatter({ pretty, color: pretty });
  const query = new URLSearchParams({ follow: args.flags.has('--recent') ? '0' : '1', ...(app ? { app } : {}) });
  const res = await controlRequest(dataDirOf(spaceName), 'GET', `/logs?${query.toString()}`).catch((error: Error) => fail('logs', error.message));
  const splitter = lineSplitter((line) => process.stdout.write(`${format(JSON.parse(line) as LogRecord)}\n`));
  res.on('data', (chunk: Buffer) => splitter.push(chunk));
  await new Promise((resolve) => res.on('end', resolve));
  splitter.end();
  if (!args.flags.has('--recent')) process.stdout.write(`logs: space ${spaceName} stopped\n`);
}
