import { connect } from 'node:net';

/**
 * Whether a Redis answers: a PING over a plain connection, any reply counting (a server
 * that wants AUTH answers -NOAUTH, and that is an answer). Resolves "answers" or
 * "not answering (<why>)"; a TLS URL is not checked (its certificate is the client's
 * business, and a status line must not guess).
 */
export function pingRedis(url: string, timeoutMs = 500): Promise<string> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return Promise.resolve('not checked (not a URL)');
  }
  if (parsed.protocol !== 'redis:') return Promise.resolve(`not checked (${parsed.protocol.replace(':', '')})`);
  return new Promise((resolve) => {
    const socket = connect({ host: parsed.hostname, port: Number(parsed.port || 6379), timeout: timeoutMs });
    const done = (answer: string): void => {
      socket.destroy();
      resolve(answer);
    };
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data: Buffer) => done(/^[+-]/.test(data.toString()) ? 'answers' : 'not answering (not a Redis reply)'));
    socket.once('timeout', () => done(`not answering (no reply within ${timeoutMs} ms)`));
    socket.once('error', (error) => done(`not answering (${error.message})`));
  });
}
