/**
 * bench/help: how long each command takes to answer --help in a fresh clone (a copy of the
 * repository's files without any dist/, node_modules linked), beside `node -e 0` measured in
 * the same run: a command costs at least one node start, and a busy machine slows both alike.
 * Target (issue 21): every command under 0.5 s, without building.
 *   node bench/help/run.js [--runs 7]
 */
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const at = process.argv.indexOf('--runs');
const RUNS = at === -1 ? 7 : Number(process.argv[at + 1]);
const TARGET_MS = 500;

/** The repository's files as a clone has them (tracked and new, not ignored), node_modules linked. */
function freshCopy() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-help-'));
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter((file) => file !== '' && fs.existsSync(path.join(ROOT, file)));
  for (const file of files) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.cpSync(path.join(ROOT, file), path.join(dir, file), { verbatimSymlinks: true });
  }
  // Workspace links are relative (../../packages/kit): copied as they are, they lead into the copy.
  fs.mkdirSync(path.join(dir, 'node_modules'));
  for (const name of fs.readdirSync(path.join(ROOT, 'node_modules'))) {
    const from = path.join(ROOT, 'node_modules', name);
    if (name === '@bundle') fs.cpSync(from, path.join(dir, 'node_modules', name), { recursive: true, verbatimSymlinks: true });
    else fs.symlinkSync(from, path.join(dir, 'node_modules', name));
  }
  return dir;
}

/** Milliseconds of each of RUNS runs of argv in dir, sorted. @param {string} dir @param {string[]} argv */
function times(dir, argv) {
  const ms = [];
  for (let run = 0; run < RUNS; run += 1) {
    const started = process.hrtime.bigint();
    const result = spawnSync(argv[0], argv.slice(1), { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    ms.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (result.status !== 0) throw new Error(`${argv.join(' ')} exited ${result.status}: ${result.stderr}`);
  }
  return ms.sort((a, b) => a - b);
}

const dir = freshCopy();
try {
  const commands = [
    ...fs
      .readdirSync(path.join(dir, 'scripts'), { withFileTypes: true })
      .filter((entry) => entry.isFile() && !entry.name.includes('.'))
      .map((entry) => `scripts/${entry.name}`),
    '.ci/run',
  ];
  const node = times(dir, [process.execPath, '-e', '0']);
  const median = (/** @type {number[]} */ ms) => ms[Math.floor(ms.length / 2)] ?? 0;
  console.log(`bench/help: ${RUNS} runs each in a fresh copy (${dir}), ${os.cpus().length} cores, load ${os.loadavg()[0]?.toFixed(1)}`);
  console.log(`${'command'.padEnd(26)} ${'median'.padStart(8)} ${'slowest'.padStart(8)}  ${'x node -e 0'.padStart(11)}`);
  console.log(
    `${'node -e 0'.padEnd(26)} ${median(node).toFixed(0).padStart(6)}ms ${(node.at(-1) ?? 0).toFixed(0).padStart(6)}ms  ${'1.0'.padStart(11)}`,
  );
  let over = 0;
  for (const command of commands) {
    const ms = times(dir, [path.join(dir, command), '--help']);
    if ((ms.at(-1) ?? 0) >= TARGET_MS) over += 1;
    console.log(
      `${`${command} --help`.padEnd(26)} ${median(ms).toFixed(0).padStart(6)}ms ${(ms.at(-1) ?? 0).toFixed(0).padStart(6)}ms  ${(median(ms) / median(node)).toFixed(1).padStart(11)}`,
    );
  }
  const built = fs.readdirSync(path.join(dir, 'packages')).filter((name) => fs.existsSync(path.join(dir, 'packages', name, 'dist')));
  console.log(
    `target: every command under ${TARGET_MS} ms: ${over === 0 ? 'met' : `${over} over`}; dist/ built meanwhile: ${built.length ? built.join(', ') : 'none'}`,
  );
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
