// Starts the real api binary for the browser tests: a fresh temporary working directory and
// SQLite file, the demo data, a free port, the built console from console/dist. Stops it after.
//
//   QINQING_API_BIN   the binary (default ../target/debug/api, relative to console/)
//   E2E_CONSOLE=preview   serve console/dist with `vite preview` (proxying /api to the
//                         server) instead of the server's own /console/: for a server that
//                         does not serve the console yet, and so does not know the
//                         `console` and `telephony` settings either (they are then left out:
//                         its configuration refuses unknown keys). CI uses the server's /console/.
//
// The phone system's token of the tests: E2E_TELEPHONY_TOKEN (exported for the tests).
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, copyFileSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const consoleDir = resolve(fileURLToPath(new URL('..', import.meta.url)));

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => ok(port));
    });
  });
}

async function waitFor(url: string, child: ChildProcess, what: string, timeoutMs = 90_000) {
  const until = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode} before answering ${url}`);
    try {
      const r = await fetch(url);
      if (r.ok) return;
      last = `HTTP ${r.status}`;
    } catch (e) {
      last = String(e);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not answer ${url} within ${timeoutMs / 1000} s (${last})`);
}

function stop(child: ChildProcess | null) {
  if (!child || child.exitCode !== null) return Promise.resolve();
  return new Promise<void>((done) => {
    const t = setTimeout(() => {
      child.kill('SIGKILL');
      done();
    }, 5000);
    child.once('exit', () => {
      clearTimeout(t);
      done();
    });
    child.kill('SIGTERM');
  });
}

export default async function globalSetup() {
  const bin = resolve(consoleDir, process.env.QINQING_API_BIN ?? '../target/debug/api');
  if (!existsSync(bin)) throw new Error(`api binary not found at ${bin}: build it (cargo build) or set QINQING_API_BIN`);
  const dist = join(consoleDir, 'dist');
  if (!existsSync(join(dist, 'index.html'))) throw new Error('console/dist is missing: run `npm run build` first');

  const work = mkdtempSync(join(tmpdir(), 'qinqing-e2e-'));
  const port = await freePort();
  const logPath = join(work, 'server.log');
  const log = createWriteStream(logPath);
  const previewMode = process.env.E2E_CONSOLE === 'preview';
  const telephonyToken = 'e2e-telephony-token';
  // The server reads every QINQING_* variable as configuration and refuses unknown ones
  // (QINQING_API_BIN, QINQING_E2E_* would stop it): it gets none but ours.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('QINQING_')));
  const server = spawn(bin, [], {
    cwd: work,
    env: {
      ...inherited,
      QINQING_SERVER__PORT: String(port),
      QINQING_DATABASE__URL: `sqlite://${work}/qinqing.db?mode=rwc`,
      QINQING_DEMO_DATA: 'true',
      QINQING_UPLOADS__DIR: join(work, 'uploads'),
      ...(previewMode ? {} : { QINQING_CONSOLE__DIR: dist, QINQING_TELEPHONY__TOKEN: telephonyToken }),
      RUST_LOG: process.env.RUST_LOG ?? 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout?.pipe(log);
  server.stderr?.pipe(log);
  const apiBase = `http://127.0.0.1:${port}`;
  let preview: ChildProcess | null = null;
  try {
    await waitFor(`${apiBase}/healthz`, server, 'the api binary');
    let consoleBase = apiBase;
    if (previewMode) {
      const previewPort = await freePort();
      preview = spawn(join(consoleDir, 'node_modules/.bin/vite'), ['preview', '--port', String(previewPort), '--strictPort', '--host', '127.0.0.1', '--bypass-lock'], {
        cwd: consoleDir,
        env: { ...process.env, QINQING_API_ORIGIN: apiBase },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      preview.stdout?.pipe(log);
      preview.stderr?.pipe(log);
      consoleBase = `http://127.0.0.1:${previewPort}`;
      await waitFor(`${consoleBase}/console/`, preview, 'vite preview');
    }
    // Read by the tests (workers inherit the environment set here).
    process.env.QINQING_E2E_API = apiBase;
    process.env.QINQING_E2E_CONSOLE = `${consoleBase}/console/`;
    process.env.E2E_TELEPHONY_TOKEN = telephonyToken;
  } catch (e) {
    await stop(preview);
    await stop(server);
    log.end();
    await new Promise((r) => setTimeout(r, 200));
    let tail = '';
    try {
      tail = readFileSync(logPath, 'utf8').split('\n').slice(-30).join('\n');
    } catch {
      /* no log */
    }
    throw new Error(`${(e as Error).message}\n--- server log (last lines) ---\n${tail}`);
  }

  return async () => {
    await stop(preview);
    await stop(server);
    log.end();
    // The server's log goes with the CI artifacts.
    mkdirSync(join(consoleDir, 'test-results'), { recursive: true });
    try {
      copyFileSync(logPath, join(consoleDir, 'test-results', 'server.log'));
    } catch {
      /* nothing logged */
    }
    rmSync(work, { recursive: true, force: true });
  };
}
