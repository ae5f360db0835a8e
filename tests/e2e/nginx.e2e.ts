/**
 * The documented nginx configuration (deploy/nginx.conf), served by Debian's nginx as the
 * current user, with only its `listen` port and `alias` folder replaced: every file of the
 * build comes back with the intended headers (the CSP on every response, the worker scripts
 * included; the right MIME types, wasm among them; immutable assets, the rest revalidated;
 * CORS on embed.js only), and the app runs the sample data under the sub-path with no CSP
 * violation and no request elsewhere. nginx missing fails the test: .ci/run installs it.
 * Served with no headers at all, the CSP of index.html's meta tag still holds.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { distDir, repoRoot, startHarness, waitForRunState, type Harness } from './harness.ts';
import { serveStatic } from './server.ts';

const NGINX = process.env.NGINX_PATH ?? '/usr/sbin/nginx';
const SUB_PATH = '/apps/workbench/';
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; frame-ancestors 'self' https://intranet.example.com";
const IMMUTABLE = 'public, max-age=31536000, immutable';

let harness: Harness;
let nginx: ChildProcess;
let tmp: string;
let origin: string;
let logs = '';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** nginx's main file for the test: everything in a temporary folder, the documented file inside http { }. */
async function mainConfig(port: number): Promise<string> {
  const documented = await readFile(path.join(repoRoot, 'deploy/nginx.conf'), 'utf8');
  const listen = /^(\s*)listen 80;$/m;
  const alias = /^(\s*)alias \/srv\/workbench\/dist\/;$/m;
  assert.match(documented, listen, 'deploy/nginx.conf has the `listen 80;` line the test replaces');
  assert.match(documented, alias, 'deploy/nginx.conf has the `alias` line the test replaces');
  const served = documented
    .replace(listen, `$1listen 127.0.0.1:${port};`)
    .replace(alias, `$1alias ${path.resolve(distDir)}/;`);
  const temp = (name: string) => `${name}_temp_path ${path.join(tmp, name)};`;
  return [
    'daemon off;',
    'master_process off;',
    `pid ${path.join(tmp, 'nginx.pid')};`,
    `error_log ${path.join(tmp, 'error.log')} warn;`,
    'events { worker_connections 64; }',
    'http {',
    '  include /etc/nginx/mime.types;',
    '  default_type application/octet-stream;',
    '  access_log off;',
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((n) => `  ${temp(n)}`),
    served,
    '}',
    '',
  ].join('\n');
}

/** Resolves once nginx answers (or rejects with its log when it exits first). */
async function answering(): Promise<void> {
  const exited = new Promise<never>((_, reject) => nginx.once('exit', (code) => reject(new Error(`nginx exited (${code}): ${logs}`))));
  const poll = (async () => {
    for (;;) {
      try {
        await fetch(`${origin}${SUB_PATH}`);
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  })();
  await Promise.race([poll, exited]);
}

before(async () => {
  assert.ok(existsSync(NGINX), `nginx is needed at ${NGINX} (apt-get install nginx; .ci/run does)`);
  harness = await startHarness();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'rw-nginx-'));
  await mkdir(path.join(tmp, 'conf'));
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  const conf = path.join(tmp, 'conf', 'nginx.conf');
  await writeFile(conf, await mainConfig(port));
  nginx = spawn(NGINX, ['-p', tmp, '-e', path.join(tmp, 'error.log'), '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  nginx.stdout?.on('data', (d) => (logs += d));
  nginx.stderr?.on('data', (d) => (logs += d));
  await answering();
});

after(async () => {
  await harness?.stop();
  if (nginx && nginx.exitCode === null) {
    const gone = new Promise((resolve) => nginx.once('exit', resolve));
    nginx.kill('SIGTERM');
    await gone;
  }
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

async function filesOf(dir: string, base = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(path.join(dir, base), { withFileTypes: true })) {
    const rel = base ? `${base}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await filesOf(dir, rel)));
    else out.push(rel);
  }
  return out;
}

const TYPES: Record<string, RegExp> = {
  '.html': /^text\/html/, '.js': /^application\/javascript/, '.css': /^text\/css/, '.wasm': /^application\/wasm$/,
  '.json': /^application\/json/, '.webmanifest': /^application\/manifest\+json/, '.svg': /^image\/svg\+xml/, '.png': /^image\/png/,
};

test('every file of the build is served with the intended headers', async () => {
  const files = await filesOf(distDir);
  assert.ok(files.some((f) => /^assets\/engine\.worker-.*\.js$/.test(f)), 'the build has the engine worker script');
  assert.ok(files.some((f) => /^assets\/.*\.wasm$/.test(f)), 'the build has wasm files');
  for (const file of files.filter((f) => !f.endsWith('.map'))) {
    const response = await fetch(`${origin}${SUB_PATH}${file}`);
    const headers = Object.fromEntries(response.headers);
    await response.arrayBuffer();
    assert.equal(response.status, 200, file);
    assert.equal(headers['content-security-policy'], CSP, `CSP on ${file}`);
    const type = TYPES[path.extname(file)];
    assert.ok(type, `a type is expected for ${file}`);
    assert.match(headers['content-type'] ?? '', type, `type of ${file}`);
    assert.equal(headers['cache-control'], file.startsWith('assets/') ? IMMUTABLE : 'no-cache', `caching of ${file}`);
    assert.equal(headers['access-control-allow-origin'], file === 'embed.js' ? '*' : undefined, `CORS of ${file}`);
    assert.equal(headers['x-content-type-options'], 'nosniff', file);
  }
  const index = await fetch(`${origin}${SUB_PATH}`);
  assert.equal(index.headers.get('content-security-policy'), CSP);
  assert.equal(index.headers.get('cache-control'), 'no-cache');
  assert.match(await index.text(), /<div id="app">/);
  const bare = await fetch(`${origin}${SUB_PATH.replace(/\/$/, '')}`, { redirect: 'manual' });
  assert.equal(bare.status, 301);
  assert.equal(new URL(bare.headers.get('location')!, origin).pathname, SUB_PATH);
});

test('the app runs the sample data under the sub-path, with no CSP violation and no request elsewhere', { timeout: 180_000 }, async () => {
  const app = await harness.open(undefined, `${origin}${SUB_PATH}?sample`);
  assert.equal(await waitForRunState(app.page, ['success', 'failed']), 'success');
  await app.page.locator('[data-testid="kpi-total_sales"][data-value]').waitFor();
  await app.context.close();
  const foreign = app.requests.filter((u) => !u.startsWith(`${origin}${SUB_PATH}`) && !/^(blob|data):/.test(u));
  assert.deepEqual(foreign, [], 'every request stays under the sub-path of the nginx origin');
  assert.deepEqual(app.problems, [], 'no console errors, page errors or CSP violations');
  assert.ok(app.requests.some((u) => /engine\.worker-.*\.js$/.test(u)), 'the engine worker was loaded');
});

test('served with no headers at all, index.html\'s meta tag CSP holds and the app runs', { timeout: 180_000 }, async () => {
  const bare = await serveStatic(distDir);
  try {
    const app = await harness.open(undefined, `${bare.origin}/?sample`);
    assert.equal(await waitForRunState(app.page, ['success', 'failed']), 'success');
    assert.deepEqual(app.problems, [], 'the app breaks no rule of its own policy');
    // An inline script, as an injection would add one: the meta policy refuses it.
    const ran = await app.page.evaluate(() => new Promise<string>((resolve) => {
      document.addEventListener('securitypolicyviolation', (e) => resolve(`refused by ${e.effectiveDirective}`), { once: true });
      const script = document.createElement('script');
      script.textContent = 'document.title = "injected"';
      document.head.append(script);
      if (document.title === 'injected') resolve('ran');
    }));
    assert.equal(ran, 'refused by script-src-elem');
    await app.context.close();
  } finally {
    await bare.close();
  }
});
