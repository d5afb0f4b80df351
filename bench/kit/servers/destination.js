// The peers' log destination, the same kind as the kit's (packages/kit/src/log.ts): lines
// are buffered in the process and handed to stdout (a file here) in blocks of up to 64 kB,
// at least every 100 ms; here the write itself is asynchronous too (pino's documented
// asynchronous logging), which only helps the peers.
const pino = require('pino');

/** @returns {import('pino').DestinationStream} */
module.exports = () => pino.destination({ dest: 1, sync: false, maxWrite: 65536, minLength: 61440, periodicFlush: 100 });
