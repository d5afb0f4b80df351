import { controlRequest } from '../local/control';
import { filterLogs, LEVELS, matches, parseDuration, type LogFilter } from '../local/log-filter';
import { createFormatter, lineSplitter, type LogRecord } from '../local/logs';
import { dataDirOf, fail, parseCommand, spaceArgument, strings, usageError, type Command } from './common';

export const COMMAND: Command = {
  name: 'logs',
  usage: 'usage: scripts/logs [space] [app] [--json] [--recent] [--request id] [--level level] [--since duration]',
  about: "Follows a running space's merged logs, like cf logs (pretty at a terminal).",
  positionals: ['[space]  the space (default dev)', '[app]    only this app'],
  maxPositionals: 2,
  options: {
    json: { type: 'boolean', doc: 'one JSON object a line ({time, app, source, stream, line}), for a program to read' },
    recent: { type: 'boolean', doc: 'print what is buffered and exit instead of following' },
    request: {
      type: 'string',
      value: 'id',
      doc: "only the router's and the apps' lines of this request (a response's X-Request-Id), in time order; implies --recent",
    },
    level: { type: 'string', value: 'level', doc: `only lines at this level or above (${Object.keys(LEVELS).join(', ')})` },
    since: { type: 'string', value: 'duration', doc: 'only lines of the last 30s, 10m, 2h, 1d' },
  },
};

export interface LogsArgs {
  space: string;
  app?: string;
  json: boolean;
  recent: boolean;
  filter: LogFilter;
}

/** --help and bad arguments answer and exit here. */
export function parse(argv: string[], now = Date.now()): LogsArgs {
  const parsed = parseCommand(argv, COMMAND);
  const [spaceName, app] = parsed.positionals;
  const space = spaceArgument(COMMAND, spaceName);
  const filter: LogFilter = app ? { app } : {};
  const requestId = strings(parsed, 'request').pop();
  if (requestId !== undefined) {
    if (requestId === '') usageError(COMMAND, '--request: expected a request id');
    filter.requestId = requestId;
  }
  const level = strings(parsed, 'level').pop();
  if (level !== undefined) {
    filter.level = LEVELS[level.toLowerCase()];
    if (filter.level === undefined) usageError(COMMAND, `--level ${level}: expected one of ${Object.keys(LEVELS).join(', ')}`);
  }
  const since = strings(parsed, 'since').pop();
  if (since !== undefined) {
    const ms = parseDuration(since);
    if (ms === undefined) usageError(COMMAND, `--since ${since}: expected a duration such as 30s, 10m, 2h or 1d`);
    // Longer ago than the epoch is everything the space keeps (and past Date's range, an error).
    filter.since = new Date(Math.max(0, now - ms)).toISOString();
  }
  return {
    space,
    ...(app ? { app } : {}),
    json: parsed.values.json === true,
    recent: parsed.values.recent === true || requestId !== undefined,
    filter,
  };
}

/**
 * How each line is printed: --json, the record as one JSON object (the app's own JSON line
 * stays a string in `line`); at a terminal, coloured and readable; into a pipe or file, the
 * cf-style line (`<time> users [APP/PROC/WEB/0] OUT {...}`).
 */
export function outputFormat(json: boolean, terminal: boolean): (record: LogRecord) => string {
  if (json)
    return (record) =>
      JSON.stringify({ time: record.time, app: record.app, source: record.source, stream: record.stream, line: record.line });
  return createFormatter({ pretty: terminal, color: terminal });
}

/** scripts/logs <space> [app] [--json] [--recent] [--request id] [--level l] [--since d]: the space's merged log like `cf logs`. */
export async function main(argv: string[]): Promise<void> {
  const args = parse(argv);
  const { space: spaceName, app, filter } = args;
  const format = outputFormat(args.json, process.stdout.isTTY === true);
  const query = new URLSearchParams({ follow: args.recent ? '0' : '1', ...(app ? { app } : {}) });
  const res = await controlRequest(dataDirOf(spaceName), 'GET', `/logs?${query.toString()}`).catch((error: Error) =>
    fail('logs', error.message),
  );
  if (res.statusCode !== 200) {
    let text = '';
    for await (const chunk of res) text += String(chunk);
    fail('logs', (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? `the supervisor answered ${res.statusCode}`);
  }
  const print = (record: LogRecord): void => void process.stdout.write(`${format(record)}\n`);
  if (args.recent) {
    // Whole history first, so a request's lines come out in time order.
    const records: LogRecord[] = [];
    const splitter = lineSplitter((line) => void records.push(JSON.parse(line) as LogRecord));
    res.on('data', (chunk: Buffer) => splitter.push(chunk));
    await new Promise((resolve) => res.on('end', resolve));
    splitter.end();
    const shown = filterLogs(records, filter);
    for (const record of shown) print(record);
    if (filter.requestId !== undefined && shown.length === 0)
      fail('logs', `no line of request ${filter.requestId} in the last lines the space keeps`);
    return;
  }
  const splitter = lineSplitter((line) => {
    const record = JSON.parse(line) as LogRecord;
    if (matches(record, filter)) print(record);
  });
  res.on('data', (chunk: Buffer) => splitter.push(chunk));
  await new Promise((resolve) => res.on('end', resolve));
  splitter.end();
  process.stdout.write(`logs: space ${spaceName} stopped\n`);
}
