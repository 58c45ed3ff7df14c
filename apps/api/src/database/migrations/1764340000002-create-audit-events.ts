// The append-only audit_events table, with indexes for the admin's filters: by time, by actor, by session.
import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';

export class CreateAuditEvents1764340000002 implements MigrationInterface {
  name = 'CreateAuditEvents1764340000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    const date = queryRunner.connection.driver.normalizeType({ type: Date });
    await queryRunner.createTable(
      new Table({
        name: 'audit_events',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'at', type: date },
          { name: 'actor', type: 'varchar', length: '64' },
          { name: 'action', type: 'varchar', length: '32' },
          { name: 'outcome', type: 'varchar', length: '16' },
          { name: 'address', type: 'varchar', length: '64', isNullable: true },
          { name: 'sessionId', type: 'varchar', length: '36', isNullable: true },
          { name: 'subject', type: 'varchar', length: '64', isNullable: true },
          { name: 'details', type: 'text' },
        ],
      }),
    );
    // One index at a time, as in IndexSessionsByCreatedAt.
    for (const index of [
      new TableIndex({ name: 'IDX_audit_at', columnNames: ['at', 'id'] }),
      new TableIndex({ name: 'IDX_audit_actor_at', columnNames: ['actor', 'at'] }),
      new TableIndex({ name: 'IDX_audit_session', columnNames: ['sessionId'] }),
    ])
      await queryRunner.createIndex('audit_events', index);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('audit_events');
  }
}
