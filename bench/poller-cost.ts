// Poller cost with 1, 100 and 1,000 live sessions, each on a real held job in the local Slurm
// (sbatch --hold), first on a controller that holds no other job, then on one that also holds
// POLLER_FINISHED_JOBS finished jobs (held jobs submitted and cancelled: records slurmctld keeps for
// MinJobAge, as a site's controller keeps its users' recent jobs). Slurm commands are counted
// through a SLURM_BIN_DIR of logging wrappers; CPU time is the API process's utime+stime from /proc
// over K ticks (ticks counted by the API's own vizportal_poller_tick_duration_seconds histogram),
// squeue's its children's.
//
//   npx ts-node --transpile-only -P bench/tsconfig.json bench/poller-cost.ts   (takes the cluster lock)
//   env: POLLER_SIZES (0,1,100,1000; 0 is the idle API's own cost per interval), POLLER_TICKS (20),
//        POLLER_FINISHED_JOBS (10000), POLLER_FINISHED_SIZES (0,1000: the sizes measured again beside them)
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  cpuMs,
  fmt,
  insertSessions,
  machineSummary,
  metric,
  onCleanup,
  runBenchmark,
  scancelAll,
  slurmCallLog,
  startApi,
  submitHeldJobs,
  tempDir,
  until,
} from './lib';

const SIZES = (process.env['POLLER_SIZES'] ?? '0,1,100,1000').split(',').map(Number);
const TICKS = Number(process.env['POLLER_TICKS'] ?? 20);
const FINISHED_JOBS = Number(process.env['POLLER_FINISHED_JOBS'] ?? 10_000);
const FINISHED_SIZES = (process.env['POLLER_FINISHED_SIZES'] ?? '0,1000').split(',').map(Number);
/** Every live session is queued, so the poller runs at its slow interval; 1 s here for a short run. */
const INTERVAL_MS = 1000;
const TICK_COUNT = 'vizportal_poller_tick_duration_seconds_count';
const TICK_SUM = 'vizportal_poller_tick_duration_seconds_sum';

runBenchmark('poller-cost', main, { usesCluster: true });

interface Figures {
  sessions: number;
  /** Job records slurmctld held while this size was measured (ours, the finished ones, any other). */
  controllerJobs: number;
  ticks: number;
  squeuePerTick: number;
  commandsPerTick: number;
  cpuPerTickMs: number;
  childCpuPerTickMs: number;
  tickDurationMs: number;
}

async function main(): Promise<void> {
  console.log(`poller-cost: ${machineSummary()}`);
  const heldJobs: string[] = [];
  onCleanup(() => scancelAll(heldJobs));
  const most = Math.max(...SIZES);
  const started = Date.now();
  await submitHeldJobs(most, heldJobs);
  console.log(
    `poller-cost: ${heldJobs.length} held jobs submitted in ${fmt((Date.now() - started) / 1000)} s`,
  );

  const figures: Figures[] = [];
  for (const size of SIZES) figures.push(await measure(size, heldJobs.slice(0, size)));

  // The same poll beside finished jobs: submitted held, then cancelled, so none of them runs.
  const finishedJobs: string[] = [];
  onCleanup(() => scancelAll(finishedJobs));
  const submitStarted = Date.now();
  await submitHeldJobs(FINISHED_JOBS, finishedJobs, 8);
  await scancelAll(finishedJobs);
  console.log(
    `poller-cost: ${finishedJobs.length} more jobs submitted and cancelled in ${fmt((Date.now() - submitStarted) / 1000)} s; slurmctld now holds ${controllerJobCount()} job records`,
  );
  const busy: Figures[] = [];
  for (const size of FINISHED_SIZES) busy.push(await measure(size, heldJobs.slice(0, size)));

  console.log('');
  console.log(`poller-cost: poll interval ${INTERVAL_MS} ms, ${TICKS} ticks measured per size`);
  console.log(
    'sessions | controller job records | squeue/tick | Slurm commands/tick | API CPU/tick (ms) | squeue CPU/tick (ms) | tick duration (ms)',
  );
  for (const f of [...figures, ...busy]) {
    console.log(
      `${String(f.sessions).padStart(8)} | ${String(f.controllerJobs).padStart(22)} | ${fmt(f.squeuePerTick, 2).padStart(11)} | ${fmt(f.commandsPerTick, 2).padStart(19)} | ${fmt(f.cpuPerTickMs).padStart(17)} | ${fmt(f.childCpuPerTickMs).padStart(20)} | ${fmt(f.tickDurationMs).padStart(18)}`,
    );
  }
  // With no live session a tick reads the database and asks Slurm for its partitions (is it
  // there?): row 0 is the API's cost per interval at rest.
  for (const [label, set] of [
    ['clean controller', figures],
    [`beside ${FINISHED_JOBS} finished jobs`, busy],
  ] as const) {
    const idle = set.find((f) => f.sessions === 0);
    if (!idle) continue;
    for (const f of set.filter((f) => f.sessions > 0)) {
      console.log(
        `poller-cost: ${label}, ${f.sessions} sessions: API CPU per tick over the idle API ${fmt(f.cpuPerTickMs - idle.cpuPerTickMs)} ms + squeue ${fmt(f.childCpuPerTickMs)} ms = ${fmt(f.cpuPerTickMs - idle.cpuPerTickMs + f.childCpuPerTickMs)} ms`,
      );
    }
  }
  console.log(
    'poller-cost: targets: 1 Slurm command per tick; at 1,000 sessions at most 100 ms of CPU per tick',
  );
}

async function measure(size: number, jobIds: string[]): Promise<Figures> {
  const dir = tempDir(`vizportal-poller-${size}-`);
  const slurm = slurmCallLog(dir);
  const env = {
    SLURM_BIN_DIR: slurm.binDir,
    POLL_INTERVAL_SLOW_MS: String(INTERVAL_MS),
    POLL_INTERVAL_FAST_MS: String(INTERVAL_MS),
  };
  // First start migrates; the rows go in while it is stopped.
  let api = await startApi({ dir, env });
  await api.stop();
  const now = new Date();
  await insertSessions(
    api.databasePath,
    jobIds.map((jobId) => ({
      id: randomUUID(),
      owner: 'alice',
      state: 'queued',
      jobId,
      createdAt: now,
      slurmState: 'PENDING',
    })),
  );
  api = await startApi({ dir, env, port: api.port });

  // Past start-up and the first ticks, then K ticks measured.
  await until(
    () => metric(api, TICK_COUNT),
    (count) => count >= 3,
    60_000,
    'three poller ticks',
    500,
  );
  const before = {
    ticks: await metric(api, TICK_COUNT),
    sum: await metric(api, TICK_SUM),
    cpu: cpuMs(api.pid),
    calls: slurm.calls(),
  };
  const after = await until(
    async () => ({
      ticks: await metric(api, TICK_COUNT),
      sum: await metric(api, TICK_SUM),
      cpu: cpuMs(api.pid),
      calls: slurm.calls(),
    }),
    (sample) => sample.ticks >= before.ticks + TICKS,
    (TICKS * INTERVAL_MS + 120_000) * 2,
    `${TICKS} poller ticks`,
    // Rarely, so the scrapes themselves cost the API little.
    INTERVAL_MS * 2,
  );
  const controllerJobs = controllerJobCount();
  await api.stop();

  const ticks = after.ticks - before.ticks;
  const calls = after.calls.slice(before.calls.length);
  const byCommand = new Map<string, number>();
  for (const call of calls) byCommand.set(call.command, (byCommand.get(call.command) ?? 0) + 1);
  const breakdown = [...byCommand].map(([command, count]) => `${command} ${count}`).join(', ') || 'none';
  console.log(`poller-cost: ${size} sessions: ${ticks} ticks, Slurm commands: ${breakdown}`);
  const sample = calls.find((call) => call.command === 'squeue');
  if (sample)
    console.log(`poller-cost:   squeue argv (first 160 chars): ${sample.args.join(' ').slice(0, 160)}`);
  return {
    sessions: size,
    controllerJobs,
    ticks,
    squeuePerTick: (byCommand.get('squeue') ?? 0) / ticks,
    commandsPerTick: calls.length / ticks,
    cpuPerTickMs: (after.cpu.own - before.cpu.own) / ticks,
    childCpuPerTickMs: (after.cpu.children - before.cpu.children) / ticks,
    tickDurationMs: ((after.sum - before.sum) / ticks) * 1000,
  };
}

/** Job records slurmctld holds now, finished ones still within MinJobAge included. */
function controllerJobCount(): number {
  return execFileSync('squeue', ['-h', '-t', 'all', '-o', '%i'], { encoding: 'utf8', maxBuffer: 64 << 20 })
    .split('\n')
    .filter(Boolean).length;
}
