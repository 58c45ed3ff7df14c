// Marks the database writable again after any successful write through TypeORM, so /api/health
// recovers on its own once the disk has room again.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntitySubscriberInterface } from 'typeorm';
import { DatabaseWriteStatus } from './database-write-status';

@Injectable()
export class DatabaseWriteSubscriber implements EntitySubscriberInterface {
  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly status: DatabaseWriteStatus,
  ) {
    dataSource.subscribers.push(this);
  }

  // These run before a transaction's commit: a commit that then fails marks the failure after them.
  afterInsert(): void {
    this.status.succeeded();
  }

  afterUpdate(): void {
    this.status.succeeded();
  }

  afterRemove(): void {
    this.status.succeeded();
  }
}
