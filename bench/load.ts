// Load, as an open model: REST requests sent on a fixed schedule (LOAD_RATE a second, whatever the
// server's answers), each timed from when the schedule meant to send it, so a stall of the server
// counts for every request it held up (no coordinated omission). Meanwhile LOAD_SOCKETS Socket.IO
// clients stay connected, and sessions change state all along (their held Slurm jobs cancelled at
// LOAD_CHANGES a second), so the poller's broadcasts flow to the sockets of their owners, each
// counted. Against the built API holding LOAD_ROWS session rows. The REST mix, drawn at random
// (seeded) per request: a user's session list, first page or one of the next four (with the cursor
// the page before gave), one of their sessions by id, the catalog, and the admin's list of everyone's.
// Prints errors, latency percentiles (from the schedule, and the service time from the actual send),
// requests done, events delivered against expected, and the API's RSS idle and under load.
//
//   flock is taken by the script itself (the live sessions are real held jobs)
//   npx ts-node --transpile-only -P bench/tsconfig.json bench/load.ts
//   env: LOAD_SECONDS (30), LOAD_RATE (200 req/s), LOAD_SOCKETS (200), LOAD_ROWS (10000), LOAD_USERS (10),
//        LOAD_CHANGES (3 state changes/s)
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Agent, get as httpGet } from 'node:http';
import { performance } from 'node:perf_hooks';
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
  percentile,
  rssMiB,
  runBenchmark,
  scancelAll,
  submitHeldJobs,
  sleep,
  startApi,
  tempDir,
  until,
} from './lib';

const SECONDS = Number(process.env['LOAD_SECONDS'] ?? 30);
const RATE = Number(process.env['LOAD_RATE'] ?? 200);
const SOCKETS = Number(process.env['LOAD_SOCKETS'] ?? 200);
const ROWS = Number(process.env['LOAD_ROWS'] ?? 10_000);
const USERS = Number(process.env['LOAD_USERS'] ?? 10);
const CHANGES_PER_SECOND = Number(process.env['LOAD_CHANGES'] ?? 3);
/** Live sessions among the rows, each on a real held job: enough to change state all run long. */
const LIVE = Math.max(10, Math.ceil(CHANGES_PER_SECOND * SECONDS) + 10);
const PAGES = 5;
const REQUEST_TIMEOUT_MS = 10_000;
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

  // 2. Seed the rows directly, the API stopped: mostly ended, the live ones on real held jobs.
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
  const liveOwners = new Map(rows.slice(0, LIVE).map((row) => [row.jobId as string, row.owner]));
  const sessionIdsOf = new Map(
    usernames.map((user) => [user, rows.filter((r) => r.owner === user).map((r) => r.id)]),
  );
  console.log(`load: ${ROWS} session rows (${LIVE} live on held jobs) for ${USERS} users`);

  // 3. Second start, on the seeded database.
  api = await startApi({ dir, port: api.port });
  const cookies = await Promise.all(accounts.map((account) => login(api.baseUrl, account)));
  const adminCookie = await login(api.baseUrl, api.admin);
  // Each user's cursors to their next pages, as the web app's "Show older sessions" sends them.
  const pageCursors = await Promise.all(cookies.map((cookie) => cursorsOf(api, cookie)));
  await sleep(5_000);
  const rssIdle = rssMiB(api.pid);

  // 4. The sockets: each logged in with a user's cookie; events and drops counted.
  let socketErrors = 0;
  let disconnects = 0;
  let welcomes = 0;
  const eventsByUser = new Map<string, number>(usernames.map((user) => [user, 0]));
  const socketsByUser = new Map<string, number>(usernames.map((user) => [user, 0]));
  const sockets: Socket[] = [];
  onCleanup(() => sockets.forEach((socket) => socket.close()));
  await Promise.all(
    Array.from({ length: SOCKETS }, (_, i) => {
      const user = usernames[i % USERS];
      socketsByUser.set(user, (socketsByUser.get(user) ?? 0) + 1);
      const socket = io(api.baseUrl, {
        path: '/api/socket.io',
        transports: ['websocket', 'polling'],
        extraHeaders: { cookie: cookies[i % USERS] },
        reconnection: false,
      });
      sockets.push(socket);
      socket.on('scheduler.status', () => welcomes++);
      socket.on('session.updated', (session: { owner: string; state: string }) => {
        if (session.state === 'cancelled')
          eventsByUser.set(session.owner, (eventsByUser.get(session.owner) ?? 0) + 1);
      });
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

  // 5. State changes all run long: a held job cancelled at a fixed rate, which the poller turns into
  //    a `cancelled` session, broadcast to every socket of its owner.
  const changing = [...heldJobs.slice(0, Math.ceil(CHANGES_PER_SECOND * SECONDS))];
  const cancelledOwners: string[] = [];
  const changer = (async () => {
    const start = performance.now();
    for (let i = 0; i < changing.length; i++) {
      const wait = start + (i * 1000) / CHANGES_PER_SECOND - performance.now();
      if (wait > 0) await sleep(wait);
      await scancelJob(changing[i]);
      cancelledOwners.push(liveOwners.get(changing[i]) as string);
    }
  })();

  // 6. REST on a fixed schedule, timed from the schedule.
  const rssSamples: number[] = [];
  const sampler = setInterval(() => rssSamples.push(rssMiB(api.pid)), 500);
  onCleanup(() => clearInterval(sampler));
  const random = seededRandom(20261203);
  const kinds = new Map<string, number>();
  const pick = (): { kind: string; path: string; cookie: string } => {
    const userIndex = Math.floor(random() * USERS);
    const cookie = cookies[userIndex];
    const roll = random();
    if (roll < 0.35) return { kind: 'session list, first page', path: '/api/sessions', cookie };
    if (roll < 0.55) {
      const cursors = pageCursors[userIndex];
      if (cursors.length === 0) return { kind: 'session list, first page', path: '/api/sessions', cookie };
      const cursor = cursors[Math.floor(random() * cursors.length)];
      return {
        kind: `session list, pages 2–${PAGES}`,
        path: `/api/sessions?before=${encodeURIComponent(cursor)}`,
        cookie,
      };
    }
    if (roll < 0.75) {
      const ids = sessionIdsOf.get(usernames[userIndex]) as string[];
      return {
        kind: 'one session by id',
        path: `/api/sessions/${ids[Math.floor(random() * ids.length)]}`,
        cookie,
      };
    }
    if (roll < 0.95) return { kind: 'catalog', path: '/api/apps', cookie };
    return { kind: "admin's list of everyone's sessions", path: '/api/sessions', cookie: adminCookie };
  };
  const total = Math.round(RATE * SECONDS);
  const fromSchedule: number[] = [];
  const serviceTimes: number[] = [];
  const senderLag: number[] = [];
  let non2xx = 0;
  let failures = 0;
  let timeouts = 0;
  const inFlight: Promise<void>[] = [];
  // node:http with kept-alive connections: lighter on the script's own CPU than fetch, so the
  // schedule is kept better on the two cores the API shares.
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  onCleanup(() => agent.destroy());
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const intended = start + (i * 1000) / RATE;
    const wait = intended - performance.now();
    if (wait > 1) await sleep(wait);
    const request = pick();
    kinds.set(request.kind, (kinds.get(request.kind) ?? 0) + 1);
    const sentAt = performance.now();
    senderLag.push(sentAt - intended);
    inFlight.push(
      get(agent, `${api.baseUrl}${request.path}`, request.cookie).then(
        (status) => {
          const doneAt = performance.now();
          fromSchedule.push(doneAt - intended);
          serviceTimes.push(doneAt - sentAt);
          if (status < 200 || status > 299) non2xx++;
        },
        (error: Error) => {
          if (error.name === 'TimeoutError') timeouts++;
          else failures++;
          fromSchedule.push(REQUEST_TIMEOUT_MS);
        },
      ),
    );
  }
  await Promise.all(inFlight);
  const elapsedS = (performance.now() - start) / 1000;
  clearInterval(sampler);
  await changer;

  // Every cancellation reaches every socket of its owner (once the poller's tick has seen it).
  const expectedEvents = () =>
    cancelledOwners.reduce((sum, owner) => sum + (socketsByUser.get(owner) ?? 0), 0);
  const deliveredEvents = () => [...eventsByUser.values()].reduce((a, b) => a + b, 0);
  await until(
    deliveredEvents,
    (delivered) => delivered >= expectedEvents(),
    15_000,
    'every broadcast delivered',
  ).catch(() => undefined);
  const stillConnected = sockets.filter((socket) => socket.connected).length;

  const lost = Math.max(0, expectedEvents() - deliveredEvents());
  const errors = failures + timeouts + non2xx + socketErrors + disconnects + lost;
  const p = (values: number[], q: number) => fmt(percentile(values, q), 1);
  console.log('');
  console.log(
    `load: ${SECONDS} s, ${SOCKETS} Socket.IO clients, ${RATE} REST req/s on a fixed schedule, ${CHANGES_PER_SECOND} session state changes/s, ${ROWS} rows (~${Math.round(ROWS / USERS)} sessions per user)`,
  );
  console.log(
    `load: request mix             ${[...kinds.entries()].map(([kind, count]) => `${kind} ${count}`).join(', ')}`,
  );
  console.log(
    `load: requests done           ${fromSchedule.length} in ${fmt(elapsedS)} s (${fmt(fromSchedule.length / elapsedS)} req/s)`,
  );
  console.log(
    `load: latency from schedule   p50 ${p(fromSchedule, 50)} / p90 ${p(fromSchedule, 90)} / p99 ${p(fromSchedule, 99)} / p99.9 ${p(fromSchedule, 99.9)} / max ${p(fromSchedule, 100)} ms`,
  );
  console.log(
    `load: service time            p50 ${p(serviceTimes, 50)} / p90 ${p(serviceTimes, 90)} / p99 ${p(serviceTimes, 99)} / max ${p(serviceTimes, 100)} ms (from the actual send)`,
  );
  console.log(
    `load: sender lag              p99 ${p(senderLag, 99)} ms, max ${p(senderLag, 100)} ms (the script's own delay in sending on time)`,
  );
  console.log(
    `load: REST errors             ${failures} failed, ${timeouts} timeouts (${REQUEST_TIMEOUT_MS / 1000} s), ${non2xx} non-2xx`,
  );
  console.log(
    `load: broadcasts              ${cancelledOwners.length} sessions cancelled; ${deliveredEvents()} of ${expectedEvents()} events to their owners' sockets delivered (${fmt(deliveredEvents() / elapsedS)}/s)`,
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

/** The `before` cursors of a user's pages 2 to PAGES, following each page's nextBefore. */
async function cursorsOf(api: Awaited<ReturnType<typeof startApi>>, cookie: string): Promise<string[]> {
  const cursors: string[] = [];
  let path = '/api/sessions';
  for (let page = 2; page <= PAGES; page++) {
    const { nextBefore } = await apiJson<{ nextBefore: string | null }>(api, cookie, 'GET', path);
    if (!nextBefore) break;
    cursors.push(nextBefore);
    path = `/api/sessions?before=${encodeURIComponent(nextBefore)}`;
  }
  return cursors;
}

/** GET with a time-out; resolves with the status once the whole body has arrived. */
function get(agent: Agent, url: string, cookie: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpGet(url, { agent, headers: { cookie }, timeout: REQUEST_TIMEOUT_MS }, (response) => {
      response.on('data', () => undefined);
      response.on('end', () => resolve(response.statusCode ?? 0));
      response.on('error', reject);
    });
    request.on('timeout', () => {
      const error = new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`);
      error.name = 'TimeoutError';
      request.destroy(error);
    });
    request.on('error', reject);
  });
}

function scancelJob(jobId: string): Promise<void> {
  return new Promise((done) => execFile('scancel', [jobId], () => done()));
}

/** mulberry32: the same request mix in every run. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
