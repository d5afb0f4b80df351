// A local OTLP/HTTP receiver for bench/kit's telemetry rows: reads each export whole and
// answers 200 with an empty body of the request's type, as a collector does; counts what it
// got (requests and bytes) and prints it when asked (SIGUSR2) or at exit. Run as its own
// process, so its work is not counted in the kit's CPU.
const http = require('node:http');

let received = 0;
let bytes = 0;
const server = http.createServer((req, res) => {
  req.on('data', (chunk) => (bytes += chunk.length));
  req.on('end', () => {
    received += 1;
    const type = req.headers['content-type'] ?? 'application/x-protobuf';
    res.writeHead(200, { 'content-type': type });
    res.end(type.includes('json') ? '{}' : '');
  });
});
server.listen(0, '127.0.0.1', () => process.send?.({ port: server.address().port }));
process.on('message', (message) => {
  if (message === 'count') process.send?.({ exports: received, bytes });
});
process.on('disconnect', () => process.exit(0));
