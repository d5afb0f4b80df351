// @ts-check
/**
 * The router under test, in its own process (so the load generator does not share its
 * CPU): a space of one app with one instance, run by the local platform. Prints
 * {"router": port, "instance": port, "instancePid": pid} once ready, stops on SIGTERM. Access lines are
 * formatted as in a real space, then dropped (a terminal would be the bottleneck).
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Space } = require('@bundle/platform');

const ROOT = path.resolve(__dirname, '..', '..');
const [command = 'exec node apps/ui/dist/main.js', appPath = ROOT] = process.argv.slice(2);

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-router-'));
  const manifest = path.join(dir, 'manifest.yml');
  fs.writeFileSync(
    manifest,
    [
      'applications:',
      '  - name: app',
      `    path: ${appPath}`,
      `    command: ${command}`,
      '    instances: 1',
      '    memory: 128M',
      '    health-check-type: http',
      '    health-check-http-endpoint: /health',
      // The manifest's heap settings: without the cap V8 grows the heap past the 128M quota under load and the platform kills
      // the instance; with the cap but 16 MB semi-spaces the instance collects without end after 20 s at saturation.
      '    env: { APP_VERSION: bench, LOG_LEVEL: warn, NODE_OPTIONS: --max-old-space-size=80 --max-semi-space-size=2 }',
      '    routes:',
      '      - route: bench.localhost',
    ].join('\n'),
  );
  // A crash or a kill over the memory quota during a measurement voids its figures: say it.
  const log = (/** @type {{ source: string, app: string, line: string }} */ record) => {
    if (record.source === 'API/0' && /CRASHED|memory quota|failed/.test(record.line))
      process.stderr.write(`bench space: ${record.app} ${record.line}\n`);
  };
  const space = new Space({
    root: ROOT,
    space: 'bench',
    manifestFile: manifest,
    varsFiles: [],
    routerPort: 0,
    dataDir: path.join(dir, 'data'),
    log,
  });
  await space.start();
  const instance = [...space.slots.values()][0]?.instance;
  process.stdout.write(`${JSON.stringify({ router: space.router?.port, instance: instance?.port, instancePid: instance?.pid })}\n`);
  process.once('SIGTERM', () => {
    void space.stop().then(() => {
      fs.rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    });
  });
}

main().catch((error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
