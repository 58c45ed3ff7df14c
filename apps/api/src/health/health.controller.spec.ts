// GET /api/health over HTTP with a stand-in cluster and database (no Slurm, no SQLite): the report
// session-domain's HealthReportDto describes, 200 or 503, never cached, and its Swagger document.
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { TerminusModule } from '@nestjs/terminus';
import { Test } from '@nestjs/testing';
import type { HealthReportDto } from '@vizportal/session-domain';
import { type ClusterInfo, SlurmUnavailableError, parseNodeState } from '@vizportal/slurm-client';
import request from 'supertest';
import { ClusterService } from '../cluster/cluster.service';
import { DatabaseHealthIndicator } from '../database/database.health';
import { HealthController } from './health.controller';
import { SlurmHealthIndicator } from './slurm.health';

const cluster: ClusterInfo = {
  partitions: [
    {
      name: 'viz',
      isDefault: true,
      state: 'UP',
      maxTimeMinutes: 480,
      defaultTimeMinutes: 60,
      nodes: ['viz01'],
      totalNodes: 1,
      totalCpus: 4,
      maxNodesPerJob: null,
      maxCpusPerNode: 4,
      maxMemoryPerNodeMb: 4096,
      maxMemoryPerCpuMb: null,
      defaultMemoryPerNodeMb: null,
      defaultMemoryPerCpuMb: null,
      hidden: false,
      tres: {},
      gres: {},
    },
  ],
  nodes: [
    {
      name: 'viz01',
      address: '127.0.0.1',
      hostname: null,
      state: parseNodeState('MIXED'),
      cpus: { total: 4, allocated: 2, idle: 2, other: 0 },
      memoryMb: { total: 4096, allocated: 0, free: 4096 },
      gres: null,
      gresUsed: null,
      partitions: ['viz'],
      reason: null,
    },
  ],
};

describe('HealthController GET /health', () => {
  let app: INestApplication;
  const info = jest.fn<Promise<ClusterInfo>, []>();

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController],
      providers: [
        SlurmHealthIndicator,
        { provide: ClusterService, useValue: { info } },
        {
          provide: DatabaseHealthIndicator,
          useValue: { check: async (key: string) => ({ [key]: { status: 'up' } }) },
        },
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
  });
  afterAll(() => app.close());

  it('reports both indicators up, with the partitions and nodes users may see, and is never cached', async () => {
    info.mockResolvedValueOnce(cluster);
    const response = await request(app.getHttpServer()).get('/health').expect(200);
    const report = response.body as HealthReportDto;
    expect(report.status).toBe('ok');
    expect(report.details.database).toEqual({ status: 'up' });
    expect(report.details.slurm).toMatchObject({
      status: 'up',
      partitions: [{ name: 'viz', state: 'up', maxTimeMinutes: 480 }],
      nodes: [{ name: 'viz01', state: 'mixed', cpus: 4, allocatedCpus: 2 }],
    });
    expect(JSON.stringify(report)).not.toContain('127.0.0.1');
    expect(response.headers['cache-control']).toBe('no-cache, no-store, must-revalidate');
  });

  it('answers 503 with the same report when Slurm does not answer', async () => {
    info.mockRejectedValueOnce(new SlurmUnavailableError('Unable to contact slurm controller'));
    const response = await request(app.getHttpServer()).get('/health').expect(503);
    const report = response.body as HealthReportDto;
    expect(report.status).toBe('error');
    expect(report.details.slurm).toEqual({ status: 'down', message: 'Unable to contact slurm controller' });
    expect(report.error?.slurm?.status).toBe('down');
    expect(report.info?.database?.status).toBe('up');
  });

  it('documents the report, 200 and 503, in Swagger', () => {
    const document = SwaggerModule.createDocument(app, new DocumentBuilder().build());
    const responses = document.paths['/health'].get?.responses ?? {};
    expect(JSON.stringify(responses['200'])).toContain('HealthReportResponse');
    expect(JSON.stringify(responses['503'])).toContain('HealthReportResponse');
    const schemas = document.components?.schemas ?? {};
    expect(Object.keys((schemas['HealthIndicatorsResponse'] as { properties: object }).properties)).toEqual([
      'database',
      'slurm',
    ]);
    expect(JSON.stringify(schemas['SlurmHealthResponse'])).toContain('NodeResponse');
  });
});
