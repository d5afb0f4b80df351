// @ts-check
/**
 * Builds the web client into static files the ui app serves (npm run build:client):
 *   <out>/index.html                 the page, naming the hashed assets (served no-cache)
 *   <out>/assets/app-<hash>.js(.map) the bundled TypeScript, with its source map
 *   <out>/assets/app-<hash>.css      the stylesheet
 *   <out>/assets/icon-<hash>.svg     the favicon
 * Content hashes in the names let the assets be cached for a year (immutable): a new
 * build makes new names, and index.html, never cached without revalidation, points at them.
 * Every asset also gets .br and .gz siblings that koa-send serves to clients that accept them.
 */
const { createHash } = require('node:crypto');
const { mkdirSync, readFileSync, rmSync, writeFileSync, readdirSync } = require('node:fs');
const { basename, join, relative } = require('node:path');
const { brotliCompressSync, gzipSync, constants } = require('node:zlib');
const esbuild = require('esbuild');

const CLIENT_DIR = join(__dirname, '..', 'src', 'client');
const DEFAULT_OUT_DIR = join(__dirname, '..', 'dist', 'public');
const COMPRESSIBLE = /\.(js|css|svg)$/;

/**
 * @param {{ outDir?: string, minify?: boolean }} [options]
 * @returns {Promise<{ outDir: string, script: string, stylesheet: string, icon: string }>} paths under outDir, as the page names them
 */
async function buildClient(options = {}) {
  const outDir = options.outDir ?? DEFAULT_OUT_DIR;
  const assetsDir = join(outDir, 'assets');
  // Start clean, so stale hashed files from older builds are never deployed.
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(assetsDir, { recursive: true });

  const result = await esbuild.build({
    // main.ts imports app.css, so esbuild emits app-<hash>.css beside app-<hash>.js.
    entryPoints: { app: join(CLIENT_DIR, 'main.ts') },
    bundle: true,
    format: 'iife',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    minify: options.minify ?? true,
    sourcemap: 'linked',
    entryNames: '[name]-[hash]',
    outdir: assetsDir,
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
    tsconfig: join(CLIENT_DIR, 'tsconfig.json'),
  });
  const outputs = Object.keys(result.metafile.outputs).map((file) => basename(file));
  const script = outputs.find((file) => /^app-[A-Z0-9]+\.js$/.test(file));
  const stylesheet = outputs.find((file) => /^app-[A-Z0-9]+\.css$/.test(file));
  if (!script || !stylesheet) throw new Error(`unexpected esbuild outputs: ${outputs.join(', ')}`);

  const iconSource = readFileSync(join(CLIENT_DIR, 'icon.svg'));
  const icon = `icon-${createHash('sha256').update(iconSource).digest('hex').slice(0, 8).toUpperCase()}.svg`;
  writeFileSync(join(assetsDir, icon), iconSource);

  const page = readFileSync(join(CLIENT_DIR, 'index.html'), 'utf8')
    .replaceAll('{{script}}', `/assets/${script}`)
    .replaceAll('{{stylesheet}}', `/assets/${stylesheet}`)
    .replaceAll('{{icon}}', `/assets/${icon}`);
  if (/\{\{\w+\}\}/.test(page)) throw new Error('index.html has a placeholder the build does not know');
  writeFileSync(join(outDir, 'index.html'), page);

  for (const file of readdirSync(assetsDir)) {
    if (!COMPRESSIBLE.test(file)) continue;
    const content = readFileSync(join(assetsDir, file));
    writeFileSync(join(assetsDir, `${file}.br`), brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
    writeFileSync(join(assetsDir, `${file}.gz`), gzipSync(content, { level: 9 }));
  }
  return { outDir, script: `/assets/${script}`, stylesheet: `/assets/${stylesheet}`, icon: `/assets/${icon}` };
}

module.exports = { buildClient, DEFAULT_OUT_DIR };

if (require.main === module) {
  const started = Date.now();
  buildClient({ minify: !process.argv.includes('--no-minify') }).then(
    (built) =>
      process.stdout.write(
        `build:client: ${relative(process.cwd(), built.outDir)} (${built.script}, ${built.stylesheet}) in ${Date.now() - started} ms\n`,
      ),
    (error) => {
      process.stderr.write(`build:client: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
