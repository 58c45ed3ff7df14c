import { sampleSum } from './prometheus-text';
import { VizportalMetrics } from './vizportal-metrics';

describe('VizportalMetrics', () => {
  it('reports sessions per state from the counter at scrape time, with every state present', async () => {
    let counts: Record<string, number> = { running: 2, queued: 1 };
    const metrics = new VizportalMetrics();
    metrics.countSessionsWith(async () => counts);
    let text = await metrics.render();
    expect(sampleSum(text, 'vizportal_sessions', { state: 'running' })).toBe(2);
    expect(sampleSum(text, 'vizportal_sessions', { state: 'queued' })).toBe(1);
    expect(sampleSum(text, 'vizportal_sessions', { state: 'failed' })).toBe(0);
    counts = { completed: 3 };
    text = await metrics.render();
    expect(sampleSum(text, 'vizportal_sessions', { state: 'running' })).toBe(0);
    expect(sampleSum(text, 'vizportal_sessions', { state: 'completed' })).toBe(3);
  });

  it('keeps one registry per instance, so several API instances in one process do not collide', async () => {
    const first = new VizportalMetrics();
    const second = new VizportalMetrics();
    first.vncConnections.inc();
    expect(sampleSum(await first.render(), 'vizportal_vnc_proxy_connections_total')).toBe(1);
    expect(sampleSum(await second.render(), 'vizportal_vnc_proxy_connections_total')).toBe(0);
  });

  it("includes Node's process metrics under the vizportal_ prefix, in Prometheus' content type", async () => {
    const metrics = new VizportalMetrics();
    const text = await metrics.render();
    expect(text).toContain('# TYPE vizportal_process_cpu_user_seconds_total counter');
    expect(text).toContain('# TYPE vizportal_nodejs_eventloop_lag_seconds gauge');
    expect(metrics.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
  });
});
