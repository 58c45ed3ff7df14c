// State change to browser: a desktop launched through the API runs; `scancel <job>` is run directly
// (Slurm's change, not the portal's stop), and we time until (a) a Socket.IO client receives the
// session.updated event and (b) the session card in a Chromium page of the portal shows the end.
// Runs once per POLL_INTERVAL_SLOW_MS given (a running session is polled at the slow interval).
//
//   npx ts-node --transpile-only -P bench/tsconfig.json bench/state-change-latency.ts   (takes the cluster lock)
//   env: STATE_RUNS (5), STATE_SLOW_INTERVALS_MS (2000,1000: the default, then a faster setting)
import { spawnSync } from 'node:child_process';
import type { Browser } from 'playwright-core';
import { io } from 'socket.io-client';
import {
  type SessionDto,
  launchRunningDesktop,
  type RunningApi,
  ENDED_STATES,
  createAccounts,
  fmt,
  launchChromium,
  login,
  machineSummary,
  median,
  onCleanup,
  requireBuilds,
  runBenchmark,
  scancelAll,
  startApi,
  until,
} from './lib';

const RUNS = Number(process.env['STATE_RUNS'] ?? 5);
const SLOW_INTERVALS = (process.env['STATE_SLOW_INTERVALS_MS'] ?? '2000,1000').split(',').map(Number);

runBenchmark('state-change-latency', main, { usesCluster: true });

async function main(): Promise<void> {
  console.log(`state-change-latency: ${machineSummary()}`);
  requireBuilds(true);
  const browser = await launchChromium();
  onCleanup(() => browser.close());
  const results: string[] = [];
  for (const slowMs of SLOW_INTERVALS) {
    const { socket, page } = await measureWith(browser, slowMs);
    results.push(
      `POLL_INTERVAL_SLOW_MS=${slowMs}: median scancel → socket event ${fmt(median(socket), 0)} ms, → card in the browser ${fmt(median(page), 0)} ms` +
        ` (socket runs: ${socket.map((v) => v.toFixed(0)).join(', ')}; browser runs: ${page.map((v) => v.toFixed(0)).join(', ')})`,
    );
  }
  console.log('');
  for (const line of results) console.log(`state-change-latency: ${line}`);
  console.log('state-change-latency: target: a median of at most 1500 ms to the browser');
}

async function measureWith(browser: Browser, slowMs: number): Promise<{ socket: number[]; page: number[] }> {
  const api: RunningApi = await startApi({ env: { POLL_INTERVAL_SLOW_MS: String(slowMs) } });
  const [alice] = await createAccounts(api, ['alice']);
  const cookie = await login(api.baseUrl, alice);
  const jobs: string[] = [];
  onCleanup(() => scancelAll(jobs));

  // The socket client: every session.updated, stamped on arrival.
  const arrivals: { id: string; state: string; at: number }[] = [];
  const socket = io(api.baseUrl, {
    path: '/api/socket.io',
    transports: ['websocket'],
    extraHeaders: { cookie },
    reconnection: false,
  });
  onCleanup(() => socket.close());
  socket.on('session.updated', (session: SessionDto) =>
    arrivals.push({ id: session.id, state: session.state, at: Date.now() }),
  );
  await new Promise<void>((done, fail) => {
    socket.once('connect', () => done());
    socket.once('connect_error', fail);
  });

  // The portal in Chromium, on the sessions page, stamping each card's state as it is rendered.
  const context = await browser.newContext({ baseURL: api.baseUrl, viewport: { width: 1366, height: 768 } });
  onCleanup(() => context.close());
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByTestId('login-username').fill(alice.username);
  await page.getByTestId('login-password').fill(alice.password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  await page.goto('/sessions');
  await page.evaluate(() => {
    const seen: Record<string, number> = {};
    (window as unknown as { __cardStates: Record<string, number> }).__cardStates = seen;
    const record = () => {
      const now = Date.now();
      document.querySelectorAll<HTMLElement>('[data-testid=session-card]').forEach((card) => {
        const key = `${card.dataset['sessionId']}:${card.dataset['state']}`;
        if (!(key in seen)) seen[key] = now;
      });
    };
    new MutationObserver(record).observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['data-state'],
    });
  });

  const socketMs: number[] = [];
  const pageMs: number[] = [];
  for (let run = 1; run <= RUNS; run++) {
    const session = await launchRunningDesktop(api, cookie);
    const running = { ...session, jobId: session.jobId as string };
    jobs.push(running.jobId);
    await page
      .locator(`[data-testid=session-card][data-session-id="${session.id}"][data-state=running]`)
      .waitFor({ timeout: 30_000 });
    // Let a random part of a poll interval pass, as a real scancel would come at any moment.
    await new Promise((done) => setTimeout(done, 300 + Math.random() * slowMs));

    const changedAt = Date.now();
    const scancel = spawnSync('scancel', [running.jobId]);
    if (scancel.status !== 0) throw new Error(`scancel ${running.jobId}: ${scancel.stderr}`);
    const event = await until(
      () => arrivals.find((a) => a.id === session.id && ENDED_STATES.includes(a.state)),
      Boolean,
      slowMs + 30_000,
      `the socket event of session ${session.id}`,
      10,
    );
    const shownAt = await until(
      () =>
        page.evaluate(
          ({ id, ended }) => {
            const seen = (window as unknown as { __cardStates: Record<string, number> }).__cardStates;
            const key = Object.keys(seen).find((k) => ended.some((state) => k === `${id}:${state}`));
            return key ? seen[key] : 0;
          },
          { id: session.id, ended: ENDED_STATES },
        ),
      (at) => at > 0,
      30_000,
      `the card of session ${session.id} leaving running`,
      50,
    );
    socketMs.push((event?.at ?? 0) - changedAt);
    pageMs.push(shownAt - changedAt);
    console.log(
      `state-change-latency: slow interval ${slowMs} ms, run ${run}: job ${running.jobId} → ${event?.state}: socket ${socketMs.at(-1)} ms, browser ${pageMs.at(-1)} ms`,
    );
  }
  socket.close();
  await context.close();
  await api.stop();
  return { socket: socketMs, page: pageMs };
}
