/**
 * End-to-end runner: serves dist/ on 127.0.0.1 with a strict CSP, runs every
 * tests/e2e/*.e2e.ts file with node:test (spec reporter), prints "N passed, M failed".
 * Run after `vite build` (npm run test:e2e does both).
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import { fileURLToPath } from 'node:url';
import { serveStatic, STRICT_CSP } from './server.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(here, '../../dist');
if (!existsSync(path.join(dist, 'index.html'))) {
  console.error('dist/index.html is missing: run `vite build` first');
  process.exit(1);
}

const server = await serveStatic(dist, { 'Content-Security-Policy': STRICT_CSP });
process.env.E2E_ORIGIN = server.origin;

const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.e2e.ts') && (only.length === 0 || only.some((o) => f.includes(o))))
  .sort()
  .map((f) => path.join(here, f));

let passed = 0;
let failed = 0;
const started = Date.now();
const stream = run({ files, concurrency: 1, timeout: 240_000 });
stream.on('test:pass', (t) => {
  if (t.details.type !== 'suite') passed++;
});
stream.on('test:fail', (t) => {
  if (t.details.type !== 'suite') failed++;
});
stream.compose(new spec()).pipe(process.stdout);
await new Promise<void>((resolve) => stream.once('end', () => resolve()));
await server.close();

console.log(`\ne2e finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
