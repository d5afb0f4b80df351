import { Writable } from 'node:stream';

/** Log records a test can assert on; every line must parse as JSON or the test fails. */
export interface LogSink {
  stream: Writable;
  records: Array<Record<string, unknown>>;
  /** Raw lines, to assert that a secret never appears anywhere. */
  text(): string;
}

/** A pino destination that parses each line (pino's own tests assert on records this way). */
export function logSink(): LogSink {
  const records: Array<Record<string, unknown>> = [];
  let raw = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      raw += chunk.toString();
      for (const line of chunk.toString().split('\n')) {
        if (line === '') continue;
        try {
          records.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          callback(new Error(`log line is not JSON: ${line}`));
          return;
        }
      }
      callback();
    },
  });
  return { stream, records, text: () => raw };
}
