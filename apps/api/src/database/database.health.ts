// Health of the database: it answers a ping, and its last write did not fail (a full disk still
// answers pings).
import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { DatabaseHealthDto } from '@vizportal/session-domain';
import { DatabaseWriteStatus } from './database-write-status';

@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    private readonly ping: TypeOrmHealthIndicator,
    private readonly writes: DatabaseWriteStatus,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check(key: string): Promise<Record<string, DatabaseHealthDto>> {
    const failure = this.writes.current();
    if (failure)
      return this.indicators
        .check(key)
        .down({ message: `writes fail: ${failure.message}`, since: failure.since });
    return this.ping.pingCheck(key, { timeout: 2000 });
  }
}
