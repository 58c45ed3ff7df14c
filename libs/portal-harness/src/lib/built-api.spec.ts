// The harness against tiny stand-in scripts (no build, no cluster): how it starts, fails, stops and
// restarts, and the environment it gives.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BuiltApi, REPO_ROOT } from './built-api';

// A stand-in API: answers /api/auth/me 401 and /env with its environment, on HOST:PORT.
const FAKE_API = `
const http = require('node:http');
if (process.env.IGNORE_TERM) process.on('SIGTERM', () => console.log('SIGTERM ignored'));
else process.on('SIGTERM', () => { console.log('SIGTERM, closing'); process.exit(0); });
http.createServer((req, res) => {
  if (req.url === '/env') { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify(process.env)); return; }
  res.statusCode = req.url === '/api/auth/me' ? Number(process.env.ME_STATUS || 401) : 404;
  res.end();
}).listen(Number(process.env.PORT), process.env.HOST, () => console.log('listening on ' + process.env.PORT));
`;

// Fails as a misconfigured API does: says why on stderr and exits.
const FAILING_API = `
console.log('starting');
console.error('Invalid configuration: DATABASE_PATH: cannot open');
process.exit(3);
`;

describe('BuiltApi', () => {
  let scratch: string;
  const started: BuiltApi[] = [];
  const script = (name: string, source: string) => {
    const file = join(scratch, name);
    writeFileSync(file, source);
    return file;
  };
  const startFake = async (options: ConstructorParameters<typeof BuiltApi>[0] = {}) => {
    const api = new BuiltApi({
      main: script('fake-api.js', FAKE_API),
      dir: join(scratch, 'data'),
      ...options,
    });
    started.push(api);
    await api.start();
    return api;
  };

  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'portal-harness-spec-'));
  });

  afterEach(async () => {
    for (const api of started.splice(0)) await api.kill();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('fails at once with the tail of the output when the API exits at start-up (kept in memory)', async () => {
    const api = new BuiltApi({
      main: script('failing.js', FAILING_API),
      dir: join(scratch, 'data'),
      startTimeoutMs: 30_000,
    });
    const startedAt = Date.now();
    await expect(api.start()).rejects.toThrow(
      /exited at start-up \(code 3\)[\s\S]*starting[\s\S]*Invalid configuration: DATABASE_PATH: cannot open/,
    );
    // At once, not at the start time-out.
    expect(Date.now() - startedAt).toBeLessThan(3000);
    expect(api.running).toBe(false);
  });

  it('fails with the tail of this run only and names the log file when the output goes to a file', async () => {
    const logFile = join(scratch, 'api.log');
    writeFileSync(logFile, 'an earlier run\n');
    const api = new BuiltApi({
      main: script('failing.js', FAILING_API),
      dir: join(scratch, 'data'),
      logFile,
    });
    const failure = await api.start().then(
      () => new Error('started'),
      (error: Error) => error,
    );
    expect(failure.message).toContain(`all of it in ${logFile}`);
    expect(failure.message).toContain('Invalid configuration');
    expect(failure.message).not.toContain('an earlier run');
    expect(readFileSync(logFile, 'utf8')).toMatch(/^an earlier run\nstarting\n/);
  });

  it('waits for /api/auth/me to answer 401, then serves on loopback from a 0711 data folder', async () => {
    const api = await startFake();
    expect(api.running).toBe(true);
    expect(api.baseUrl).toBe(`http://127.0.0.1:${api.port}`);
    expect((await fetch(`${api.baseUrl}/api/auth/me`)).status).toBe(401);
    expect(statSync(api.dir).mode & 0o777).toBe(0o711);
    expect(api.output).toContain(`listening on ${api.port}`);
  });

  it('gives up when the API answers but never 401, kills it and says what it answered', async () => {
    const api = new BuiltApi({
      main: script('fake-api.js', FAKE_API),
      dir: join(scratch, 'data'),
      env: { ME_STATUS: '503' },
      startTimeoutMs: 1000,
    });
    started.push(api);
    await expect(api.start()).rejects.toThrow(/did not answer .* within 1000 ms \(last: HTTP 503\)/);
    expect(api.running).toBe(false);
  });

  it('kill() is a SIGKILL; start() again comes back on the same port and folder', async () => {
    const api = await startFake();
    const { port, dir } = api;
    const pid = api.pid as number;
    await api.kill();
    expect(() => process.kill(pid, 0)).toThrow();
    expect(api.running).toBe(false);
    await api.start();
    expect([api.port, api.dir]).toEqual([port, dir]);
    expect(api.pid).not.toBe(pid);
    expect((await fetch(`${api.baseUrl}/api/auth/me`)).status).toBe(401);
  });

  it('stop() sends SIGTERM first, and SIGKILL when that is ignored', async () => {
    const polite = await startFake();
    await polite.stop();
    expect(polite.output).toContain('SIGTERM, closing');

    const stubborn = await startFake({ env: { IGNORE_TERM: '1' } });
    const pid = stubborn.pid as number;
    const before = Date.now();
    await stubborn.stop(500);
    expect(Date.now() - before).toBeGreaterThanOrEqual(400);
    expect(stubborn.output).toContain('SIGTERM ignored');
    expect(() => process.kill(pid, 0)).toThrow();
  });

  it('refuses a second start while it runs', async () => {
    const api = await startFake();
    await expect(api.start()).rejects.toThrow(/already running/);
  });

  it('says to build when main.js is missing', async () => {
    const api = new BuiltApi({ main: join(scratch, 'dist/apps/api/main.js'), dir: join(scratch, 'data') });
    await expect(api.start()).rejects.toThrow(/main\.js is missing: build the API first/);
  });

  it('makes a fresh data folder when none is given', () => {
    const api = new BuiltApi();
    try {
      expect(existsSync(api.dir)).toBe(true);
      expect(api.databasePath).toBe(join(api.dir, 'vizportal.sqlite'));
      expect(api.stagingDir).toBe(join(api.dir, 'sessions'));
    } finally {
      rmSync(api.dir, { recursive: true, force: true });
    }
  });

  describe('environment', () => {
    const envOf = async (options: ConstructorParameters<typeof BuiltApi>[0]) => {
      const api = await startFake(options);
      return (await (await fetch(`${api.baseUrl}/env`)).json()) as Record<string, string>;
    };

    it('holds the common defaults, a generated admin, and no web app unless asked', async () => {
      const api = await startFake();
      const env = (await (await fetch(`${api.baseUrl}/env`)).json()) as Record<string, string>;
      expect(env).toMatchObject({
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(api.port),
        DATABASE_PATH: api.databasePath,
        STAGING_DIR: api.stagingDir,
        CATALOG_DIR: join(REPO_ROOT, 'catalog'),
        PASSWORD_HASH_COST: '4',
        ADMIN_USERNAME: 'admin',
        ADMIN_PASSWORD: api.admin.password,
      });
      expect(api.admin.password).toMatch(/^admin-[0-9a-f]{16}$/);
      expect(existsSync(env['WEB_DIST_DIR'])).toBe(false);
      expect(env).not.toHaveProperty('SLURM_SUBMIT_AS');
      expect(env).not.toHaveProperty('POLL_INTERVAL_FAST_MS');
    });

    it("takes each caller's settings, and env last", async () => {
      const env = await envOf({
        nodeEnv: 'test',
        serveWeb: true,
        submitAs: 'user',
        jobAccount: 'vizportal',
        pollIntervalsMs: { fast: 300, slow: 1000 },
        loginRateLimitPerMinute: 100,
        logLevel: 'warn',
        admin: { username: 'root-of-portal', password: 'pw' },
        env: { SLURM_SUBMIT_AS: 'service', EXTRA: 'yes' },
      });
      expect(env).toMatchObject({
        NODE_ENV: 'test',
        WEB_DIST_DIR: join(REPO_ROOT, 'dist/apps/web/browser'),
        SLURM_SUBMIT_AS: 'service',
        SLURM_JOB_ACCOUNT: 'vizportal',
        POLL_INTERVAL_FAST_MS: '300',
        POLL_INTERVAL_SLOW_MS: '1000',
        LOGIN_RATE_LIMIT_PER_MINUTE: '100',
        LOG_LEVEL: 'warn',
        ADMIN_USERNAME: 'root-of-portal',
        ADMIN_PASSWORD: 'pw',
        EXTRA: 'yes',
      });
    });

    it("passes this process's environment on unless told not to; undefined removes a variable", async () => {
      process.env['PORTAL_HARNESS_SPEC_MARK'] = 'inherited';
      try {
        expect(await envOf({})).toHaveProperty('PORTAL_HARNESS_SPEC_MARK', 'inherited');
        for (const api of started.splice(0)) await api.kill();
        const bare = await envOf({ inheritEnv: false });
        expect(bare).not.toHaveProperty('PORTAL_HARNESS_SPEC_MARK');
        expect(bare['PATH']).toBe(process.env['PATH']);
        for (const api of started.splice(0)) await api.kill();
        expect(await envOf({ env: { PORTAL_HARNESS_SPEC_MARK: undefined } })).not.toHaveProperty(
          'PORTAL_HARNESS_SPEC_MARK',
        );
      } finally {
        delete process.env['PORTAL_HARNESS_SPEC_MARK'];
      }
    });
  });
});
