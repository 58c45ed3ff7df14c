// Every metric the API exposes on GET /api/metrics, on a registry of its own: tests start several
// API instances in one process, and prom-client's global registry would refuse the second one.
import { SESSION_STATES, type SessionState } from '@vizportal/session-domain';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export const METRIC_PREFIX = 'vizportal_';

/** Sessions per state, counted in the database at scrape time (so it is right across restarts and instances). */
export type SessionStateCounter = () => Promise<Partial<Record<SessionState, number>>>;

/** Slurm commands take from milliseconds to the command time-out (15 s by default). */
const SLURM_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30];
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class VizportalMetrics {
  readonly registry = new Registry();

  readonly sessions = new Gauge({
    name: `${METRIC_PREFIX}sessions`,
    help: 'Sessions in the database, by state',
    labelNames: ['state'] as const,
    registers: [this.registry],
    collect: () => this.collectSessions(),
  });

  readonly pollerTickDuration = new Histogram({
    name: `${METRIC_PREFIX}poller_tick_duration_seconds`,
    help: "Duration of the session poller's ticks (one squeue for all live sessions, plus follow-ups)",
    buckets: SLURM_BUCKETS,
    registers: [this.registry],
  });

  readonly slurmCommandDuration = new Histogram({
    name: `${METRIC_PREFIX}slurm_command_duration_seconds`,
    help: 'Duration of Slurm commands, failed ones included',
    labelNames: ['command'] as const,
    buckets: SLURM_BUCKETS,
    registers: [this.registry],
  });

  readonly slurmCommandErrors = new Counter({
    name: `${METRIC_PREFIX}slurm_command_errors_total`,
    help: 'Slurm commands that failed, by command and kind (unavailable, timeout, rejected, not_found, invalid_request, command_failed, other)',
    labelNames: ['command', 'kind'] as const,
    registers: [this.registry],
  });

  readonly vncConnectionsOpen = new Gauge({
    name: `${METRIC_PREFIX}vnc_proxy_connections_open`,
    help: 'VNC proxy WebSocket connections open now',
    registers: [this.registry],
  });

  readonly vncConnections = new Counter({
    name: `${METRIC_PREFIX}vnc_proxy_connections_total`,
    help: 'VNC proxy WebSocket connections accepted',
    registers: [this.registry],
  });

  readonly vncRefusals = new Counter({
    name: `${METRIC_PREFIX}vnc_proxy_refusals_total`,
    help: 'VNC proxy upgrades refused, by the HTTP status answered (401 no login or token, 403 bad token or target, 404 no such session, 409 not running, 429 connection limit reached, 502 node unknown)',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });

  readonly vncBytes = new Counter({
    name: `${METRIC_PREFIX}vnc_proxy_bytes_total`,
    help: 'Bytes carried by the VNC proxy, by direction (to_vnc: from the browser; to_browser: from the desktop)',
    labelNames: ['direction'] as const,
    registers: [this.registry],
  });

  readonly httpRequestDuration = new Histogram({
    name: `${METRIC_PREFIX}http_request_duration_seconds`,
    help: 'HTTP requests by method, route template (never the raw path) and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: HTTP_BUCKETS,
    registers: [this.registry],
  });

  /** Until the sessions module offers its counts, the gauge has no series. */
  private countSessions: SessionStateCounter | null = null;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: METRIC_PREFIX });
  }

  /** Where the sessions gauge gets its counts at scrape time (the sessions module's repository). */
  countSessionsWith(counter: SessionStateCounter): void {
    this.countSessions = counter;
  }

  /** The Prometheus text exposition of every metric. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private async collectSessions(): Promise<void> {
    if (this.countSessions === null) return;
    const counts = await this.countSessions();
    // Every state gets a series, zero included, so a state's count falling to nothing is visible.
    for (const state of SESSION_STATES) this.sessions.set({ state }, counts[state] ?? 0);
  }
}
