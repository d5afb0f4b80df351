import { accessLineWriter } from '../../../packages/kit/src/http/access-log';
import { createLogger } from '@bundle/kit';

// Round 2, item 12: C1 controls (U+0080 to U+009F) reached the access line as they are; a
// terminal that shows the line may act on them (U+009B is CSI, the one-character ESC [).
const identity = { app: 'hostile', instance: '0', version: '0.0.0' };

function captured(): { lines: string[]; write: ReturnType<typeof accessLineWriter> } {
  const lines: string[] = [];
  const logger = createLogger(identity, 'info', { write: (line: string) => void lines.push(line) });
  return { lines, write: accessLineWriter(logger.child({}, { redact: { paths: [] } })) };
}

describe("the kit's access line against control characters", () => {
  test('when the path or route holds C1 controls or DEL, then the line has them as \\u escapes, like C0, and parses back to them', () => {
    const { lines, write } = captured();
    const path = '/x\u009b2J\u0085\u007f\u0080\u009f\u001b[31m';

    write({ requestId: 'req-0123456789abcdefghij', method: 'GET', route: '/r\u0090', path, status: 404, durationMs: 1, bytes: 2 });

    const line = (lines[0] ?? '').trimEnd();
    expect(line).not.toMatch(/\p{Cc}/u);
    expect(line).toContain('"path":"/x\\u009b2J\\u0085\\u007f\\u0080\\u009f\\u001b[31m"');
    expect(JSON.parse(line)).toMatchObject({ path, route: '/r\u0090' });
  });
});
