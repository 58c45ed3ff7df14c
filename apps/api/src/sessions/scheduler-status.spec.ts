// SchedulerStatus: flips are emitted once, and "reachable for a while" is what lets a lost submit
// be given up on.
import { SchedulerStatus } from './scheduler-status';

const at = (seconds: number) => new Date(Date.UTC(2026, 10, 28, 10, 0, seconds));

describe('SchedulerStatus', () => {
  it('emits only when reachability flips', () => {
    const status = new SchedulerStatus();
    const seen: boolean[] = [];
    status.changes.subscribe((change) => seen.push(change.reachable));
    status.unreachable('down', at(0));
    status.unreachable('still down', at(1));
    status.reachable(at(2));
    status.reachable(at(3));
    expect(seen).toEqual([false, true]);
    expect(status.current()).toEqual({ reachable: true, since: at(2).toISOString(), message: null });
  });

  it('is reachable for a time only once Slurm has answered that long without a break', () => {
    const status = new SchedulerStatus();
    status.unreachable('sbatch did not finish', at(0));
    expect(status.reachableFor(3000, at(10))).toBe(false);
    status.reachable(at(10));
    expect(status.reachableFor(3000, at(12))).toBe(false);
    expect(status.reachableFor(3000, at(13))).toBe(true);
    status.unreachable('again', at(14));
    expect(status.reachableFor(3000, at(30))).toBe(false);
  });
});
