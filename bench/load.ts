// Load: 200 concurrent Socket.IO clients plus 200 REST requests/s (autocannon, loopback, bounded in
// time) against the built API holding 10,000 session rows. The REST mix, per user: the session list's
// first page (every live session and the 20 most recent ended ones), the catalog, the list's second
// page (`before` the first page's cursor), the catalog. Prints errors, p50/p99 latency, requests
// done, and the API's RSS idle and under load.
//
//   flock is taken by the script itself (it holds a few real held jobs as the live sessions)
//   npx ts-node --transpile-only -P bench/tsconfig.json bench/load.ts
//   env: LOAD_SECONDS (30), LOAD_RATE (200 req/s), LOAD_SOCKETS (200), LOAD_ROWS (10000), LOAD_USERS (10)
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { io, type Socket } from 'socket.io-client';
import {
  type SessionRow,
  apiJson,
  createAccounts,
  fmt,
  insertSessions,
  login,
  machineSummary,
  onCleanup,
  rssMiB,
  runBenchmark,
  scancelAll,
  submitHeldJobs,
  sleep,
  startApi,
  tempDir,
} from './lib';

const SECONDS = Number(process.env['LOAD_SECONDS'] ?? 30);
const RATE = Number(process.env['LOAD_RATE'] ?? 200);
const SOCKETS = Number(process.env['LOAD_SOCKETS'] ?? 200);
const ROWS = Number(process.env['LOAD_ROWS'] ?? 10_000);
const USERS = Number(process.env['LOAD_USERS'] ?? 10);
/** Live sessions among the rows, each backed by a real held job, so the poller has work too. */
const LIVE = 10;
const ENDED: { state: string; endReason: string; exitCode: number | null; message: string }[] = [
  { state: 'completed', endReason: 'app-exited', exitCode: 0, message: 'The app was closed.' },
  { state: 'cancelled', endReason: 'cancelled-by-user', exitCode: null, message: 'Stopped by you.' },
  { state: 'failed', endReason: 'failed', exitCode: 1, message: 'The app exited with status 1.' },
  { state: 'timed_out', endReason: 'time-limit', exitCode: null, message: 'The time limit was reached.' },
];

runBenchmark('load', main, { usesCluster: true });

async function main(): Promise<void> {
  console.log(`load: ${machineSummary()}`);
  const dir = tempDir('vizportal-load-');
  const usernames = Array.from({ length: USERS }, (_, i) => `loaduser${String(i + 1).padStart(2, '0')}`);

  // 1. First start: migrations create the schema; the accounts come through the admin API.
  let api = await startApi({ dir });
  const accounts = await createAccounts(api, usernames);
  await api.stop();

  // 2. Seed the rows directly, the API stopped: mostly ended, a few live ones on real held jobs.
  const heldJobs: string[] = [];
  onCleanup(() => scancelAll(heldJobs));
  await submitHeldJobs(LIVE, heldJobs);
  const now = Date.now();
  const rows: SessionRow[] = Array.from({ length: ROWS }, (_, i) => {
    const createdAt = new Date(now - (ROWS - i) * 60_000);
    const owner = usernames[i % USERS];
    if (i < LIVE)
      return {
        id: randomUUID(),
        owner,
        state: 'queued',
        jobId: heldJobs[i],
        createdAt: new Date(now - 1000),
        slurmState: 'PENDING',
      };
    const end = ENDED[i % ENDED.length];
    return {
      id: randomUUID(),
      owner,
      state: end.state,
      jobId: String(900_000 + i),
      node: i % 2 ? 'viz01' : 'viz02',
      createdAt,
      startedAt: new Date(createdAt.getTime() + 5_000),
      readyAt: new Date(createdAt.getTime() + 7_000),
      endedAt: new Date(createdAt.getTime() + 30 * 60_000),
      endReason: end.endReason,
      exitCode: end.exitCode,
      message: end.message,
      slurmState: 'COMPLETED',
    };
  });
  await insertSessions(api.databasePath, rows);
  console.log(`load: ${ROWS} session rows (${LIVE} live on held jobs) for ${USERS} users`);

  // 3. Second start, on the seeded database.
  api = await startApi({ dir, port: api.port });
  const cookies = await Promise.all(accounts.map((account) => login(api.baseUrl, account)));
  // Each user's cursor to the second page of their list, as the web app's "Show older sessions" sends it.
  const firstPages = await Promise.all(
    cookies.map((cookie) =>
      apiJson<{ sessions: unknown[]; nextBefore: string | null }>(api, cookie, 'GET', '/api/sessions'),
    ),
  );
  await sleep(5_000);
  const rssIdle = rssMiB(api.pid);

  // 4. The sockets: each logged in (a user's cookie), counted when they drop or fail.
  let socketErrors = 0;
  let disconnects = 0;
  let welcomes = 0;
  const sockets: Socket[] = [];
  onCleanup(() => sockets.forEach((socket) => socket.close()));
  await Promise.all(
    Array.from({ length: SOCKETS }, (_, i) => {
      const socket = io(api.baseUrl, {
        path: '/api/socket.io',
        transports: ['websocket', 'polling'],
        extraHeaders: { cookie: cookies[i % cookies.length] },
        reconnection: false,
      });
      sockets.push(socket);
      socket.on('scheduler.status', () => welcomes++);
      socket.on('disconnect', () => disconnects++);
      return new Promise<void>((done) => {
        socket.once('connect', () => done());
        socket.once('connect_error', (error) => {
          socketErrors++;
          console.error(`load: socket ${i}: ${error.message}`);
          done();
        });
      });
    }),
  );
  const connected = sockets.filter((socket) => socket.connected).length;
  console.log(`load: ${connected}/${SOCKETS} sockets connected`);

  // 5. REST at a fixed overall rate: each user's session list (first page, then second) and the catalog, alternately.
  const rssSamples: number[] = [];
  const sampler = setInterval(() => rssSamples.push(rssMiB(api.pid)), 500);
  onCleanup(() => clearInterval(sampler));
  const result = await autocannon({
    url: api.baseUrl,
    connections: 20,
    overallRate: RATE,
    duration: SECONDS,
    timeout: 10,
    requests: cookies.flatMap((cookie, i) => [
      { method: 'GET', path: '/api/sessions', headers: { cookie } },
      { method: 'GET', path: '/api/apps', headers: { cookie } },
      { method: 'GET', path: secondPage(firstPages[i].nextBefore), headers: { cookie } },
      { method: 'GET', path: '/api/apps', headers: { cookie } },
    ]),
  });
  clearInterval(sampler);
  const stillConnected = sockets.filter((socket) => socket.connected).length;

  const errors = result.errors + result.timeouts + result.non2xx + socketErrors + disconnects;
  console.log('');
  console.log(
    `load: ${SECONDS} s, ${SOCKETS} Socket.IO clients, ${RATE} REST req/s (GET /api/sessions first and second pages, of ~${Math.round(ROWS / USERS)} sessions per user; GET /api/apps)`,
  );
  console.log(
    `load: requests done           ${result.requests.total} (${fmt(result.requests.average)} req/s average)`,
  );
  console.log(
    `load: REST latency p50 / p99  ${result.latency.p50} ms / ${result.latency.p99} ms (max ${result.latency.max} ms)`,
  );
  console.log(
    `load: REST errors             ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx`,
  );
  console.log(
    `load: sockets                 ${stillConnected}/${SOCKETS} connected at the end, ${disconnects} disconnects, ${socketErrors} connect errors, ${welcomes} welcomes`,
  );
  console.log(`load: errors in total         ${errors} (target 0)`);
  console.log(`load: API RSS idle            ${fmt(rssIdle)} MiB`);
  console.log(
    `load: API RSS under load      ${fmt(Math.max(...rssSamples))} MiB peak, ${fmt(rssSamples.reduce((a, b) => a + b, 0) / rssSamples.length)} MiB mean`,
  );
}

/** The list's second page; a user with a single page reads the first again. */
function secondPage(nextBefore: string | null): string {
  return nextBefore ? `/api/sessions?before=${encodeURIComponent(nextBefore)}` : '/api/sessions';
}
