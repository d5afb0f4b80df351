import { controlRequest } from '../local/control';
import { LEVELS, matches, noLinesFor, parseDuration, recentLines, type LogFilter } from '../local/log-filter';
import { createFormatter, lineSplitter, type LogRecord } from '../local/logs';
import { dataDirOf, fail } from './common';

/** What scripts/logs was asked for (scripts/commands/logs.js parses it; logFilter checks the filter). */
export interface LogsArgs {
  space: string;
  app?: string;
  json: boolean;
  recent: boolean;
  filter: LogFilter;
}

/**
 * The filter scripts/logs' options ask for, or the line that says which value is bad (the
 * command prints it after its usage line).
 */
export function logFilter(
  options: { app?: string; request?: string; level?: string; since?: string },
  now = Date.now(),
): LogFilter | string {
  const filter: LogFilter = options.app ? { app: options.app } : {};
  if (options.request !== undefined) {
    if (options.request === '') return '--request: expected a request id';
    filter.requestId = options.request;
  }
  if (options.level !== undefined) {
    filter.level = LEVELS[options.level.toLowerCase()];
    if (filter.level === undefined) return `--level ${options.level}: expected one of ${Object.keys(LEVELS).join(', ')}`;
  }
  if (options.since !== undefined) {
    const ms = parseDuration(options.since);
    if (ms === undefined) return `--since ${options.since}: expected a duration such as 30s, 10m, 2h or 1d`;
    // Longer ago than the epoch is everything the space keeps (and past Date's range, an error).
    filter.since = new Date(Math.max(0, now - ms)).toISOString();
  }
  return filter;
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
export async function main(args: LogsArgs): Promise<void> {
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
    const shown = recentLines(records, filter);
    for (const record of shown) print(record);
    if (filter.requestId !== undefined && shown.length === 0) fail('logs', noLinesFor(filter.requestId));
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
