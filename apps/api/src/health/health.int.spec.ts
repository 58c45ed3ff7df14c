// /api/health against the real local cluster (tools/dev-cluster) and a real SQLite file.
import { type ApiTestApp, startApiTestApp } from '../../test/support/api-test-app';

describe('GET /api/health on the local cluster', () => {
  let api: ApiTestApp;
  beforeAll(async () => (api = await startApiTestApp()));
  afterAll(() => api.close());

  it('reports the database up and Slurm reachable, with partition viz and its two nodes', async () => {
    const response = await fetch(`${api.baseUrl}/api/health`);
    const body = await response.json();
    expect(response.status).toBe(200);
    expect(body.details.database.status).toBe('up');
    expect(body.details.slurm.status).toBe('up');
    const viz = body.details.slurm.partitions.find((p: { name: string }) => p.name === 'viz');
    expect(viz).toMatchObject({
      isDefault: true,
      state: 'up',
      nodes: ['viz01', 'viz02'],
      maxTimeMinutes: 480,
    });
    const names = body.details.slurm.nodes.map((n: { name: string }) => n.name).sort();
    expect(names).toEqual(['viz01', 'viz02']);
    for (const node of body.details.slurm.nodes) {
      expect(['idle', 'mixed', 'allocated']).toContain(node.state);
      // The browser never learns where a node is.
      expect(JSON.stringify(node)).not.toContain('127.0.0.1');
    }
  });

  it('serves the OpenAPI document without a login', async () => {
    const response = await fetch(`${api.baseUrl}/api/docs-json`);
    expect(response.status).toBe(200);
    const document = await response.json();
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/api/health', '/api/cluster', '/api/auth/login']),
    );
  });

  it('asks for a login before showing the cluster', async () => {
    const response = await fetch(`${api.baseUrl}/api/cluster`);
    expect(response.status).toBe(401);
    expect((await response.json()).message).toMatch(/Log in/);
  });
});
