// The process runner with harmless local commands: no shell, time-out kills the group, output cap, ENOENT.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { effectiveArgv, ProcessCommandRunner, type CommandSpec } from './command-runner';

const runner = new ProcessCommandRunner({ killGraceMs: 300 });
const spec = (argv: string[], more: Partial<CommandSpec> = {}): CommandSpec => ({
  argv,
  timeoutMs: 5000,
  maxOutputBytes: 1024 * 1024,
  ...more,
});

// A killed process whose parent died lingers as a zombie until init reaps it: that is dead too.
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

async function diesWithin(pid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !alive(pid);
}

describe('ProcessCommandRunner', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'runner-spec-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('passes arguments literally: no shell expands $(...), ; or quotes', async () => {
    const marker = join(dir, 'pwned');
    const tricky = [`$(touch ${marker})`, `; touch ${marker}`, '`id`', 'it\'s "quoted"', '*'];
    const out = await runner.run(
      spec([process.execPath, '-e', 'console.log(JSON.stringify(process.argv.slice(1)))', ...tricky]),
    );
    expect(out).toMatchObject({ kind: 'exited', exitCode: 0 });
    expect(JSON.parse(out.stdout)).toEqual(tricky);
    expect(existsSync(marker)).toBe(false);
  });

  it('gives stdin and reports exit code, stdout and stderr', async () => {
    const out = await runner.run(
      spec(
        [
          process.execPath,
          '-e',
          'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{console.log(s.toUpperCase());console.error("warn");process.exit(7)})',
        ],
        {
          input: '#!/bin/bash\necho hi\n',
        },
      ),
    );
    expect(out).toMatchObject({
      kind: 'exited',
      exitCode: 7,
      stdout: '#!/BIN/BASH\nECHO HI\n\n',
      stderr: 'warn\n',
    });
  });

  it('kills a command at its time-out, children included, and says so', async () => {
    // The shell prints its background child's pid and waits; both must die.
    const started = Date.now();
    const out = await runner.run(spec(['bash', '-c', 'sleep 30 & echo $!; wait'], { timeoutMs: 300 }));
    const elapsed = Date.now() - started;
    expect(out.kind).toBe('timed-out');
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(2000);
    const childPid = Number(out.stdout.trim());
    expect(childPid).toBeGreaterThan(0);
    expect(await diesWithin(childPid, 2000)).toBe(true);
  });

  it('KILLs a command that ignores TERM after the grace time', async () => {
    const out = await runner.run(
      spec(['bash', '-c', 'trap "" TERM; echo $$; sleep 30 & wait; sleep 30'], { timeoutMs: 200 }),
    );
    expect(out.kind).toBe('timed-out');
    const pid = Number(out.stdout.trim());
    expect(alive(pid)).toBe(true); // TERM was ignored...
    expect(await diesWithin(pid, 2000)).toBe(true); // ...KILL was not
  });

  it('stops a command whose output exceeds the cap', async () => {
    const out = await runner.run(spec(['yes'], { maxOutputBytes: 64 * 1024 }));
    expect(out.kind).toBe('output-limit');
    expect(out.stdout.length).toBeLessThanOrEqual(64 * 1024);
  });

  it('reports a program that does not exist as spawn-failed ENOENT', async () => {
    const out = await runner.run(spec(['/nonexistent/sbatch', '--parsable']));
    expect(out).toMatchObject({ kind: 'spawn-failed', errorCode: 'ENOENT' });
  });

  it('reports death by signal', async () => {
    const out = await runner.run(spec(['bash', '-c', 'kill -KILL $$']));
    expect(out).toMatchObject({ kind: 'exited', exitCode: null, signal: 'SIGKILL' });
  });

  it('uses exactly the environment given', async () => {
    const out = await runner.run(
      spec([process.execPath, '-e', 'console.log(process.env.ONLY_THIS, process.env.HOME)'], {
        env: { ONLY_THIS: 'yes' },
      }),
    );
    expect(out.stdout.trim()).toBe('yes undefined');
  });
});

describe('effectiveArgv', () => {
  it('prefixes non-interactive sudo for another user and ends its options with --', () => {
    expect(effectiveArgv({ argv: ['sbatch', '--parsable'], asUser: 'alice' }, '/usr/bin/sudo')).toEqual([
      '/usr/bin/sudo',
      '-n',
      '-u',
      'alice',
      '--',
      'sbatch',
      '--parsable',
    ]);
    expect(effectiveArgv({ argv: ['squeue'] })).toEqual(['squeue']);
  });

  it('keeps named variables through sudo, and only those', () => {
    expect(effectiveArgv({ argv: ['sbatch'], asUser: 'alice', preserveEnv: ['A', 'B'] }, 'sudo')).toEqual([
      'sudo',
      '-n',
      '--preserve-env=A,B',
      '-u',
      'alice',
      '--',
      'sbatch',
    ]);
    expect(effectiveArgv({ argv: ['sbatch'], preserveEnv: ['A'] })).toEqual(['sbatch']);
  });
});
