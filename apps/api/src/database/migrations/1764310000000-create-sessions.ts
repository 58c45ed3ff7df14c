// Creates the sessions table through TypeORM's schema API rather than raw SQL, so the same
// migration runs on SQLite and PostgreSQL.
import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';

export class CreateSessions1764310000000 implements MigrationInterface {
  name = 'CreateSessions1764310000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Each driver names its own types (SQLite: datetime, integer; PostgreSQL: timestamp, integer).
    const { driver } = queryRunner.connection;
    const timestamp = driver.normalizeType({ type: Date });
    const integer = driver.normalizeType({ type: 'int' });
    const json = driver.normalizeType({ type: 'simple-json' });
    const varchar = (name: string, length: number, isNullable = false) => ({
      name,
      type: 'varchar',
      length: String(length),
      isNullable,
    });
    const time = (name: string, isNullable = true) => ({ name, type: timestamp, isNullable });
    const int = (name: string) => ({ name, type: integer, isNullable: true });
    await queryRunner.createTable(
      new Table({
        name: 'sessions',
        columns: [
          { ...varchar('id', 36), isPrimary: true },
          varchar('owner', 32),
          varchar('appId', 64),
          varchar('appTitle', 200),
          { name: 'values', type: json },
          varchar('state', 16),
          varchar('jobId', 32, true),
          varchar('submitToken', 64),
          varchar('slurmState', 32, true),
          { name: 'slurmFlags', type: json, isNullable: true },
          varchar('slurmReason', 200, true),
          varchar('node', 128, true),
          time('expectedStartAt'),
          time('startedAt'),
          time('endedAt'),
          time('readyAt'),
          time('createdAt', false),
          time('updatedAt', false),
          int('timeLimitMinutes'),
          int('exitCode'),
          varchar('endReason', 32, true),
          { name: 'message', type: 'text', isNullable: true },
          int('endpointPort'),
          int('endpointDisplay'),
          time('notListedSince'),
          varchar('vncPassword', 8, true),
          varchar('readinessSecretHash', 64, true),
        ],
        // Declared with the table: createIndices() runs in parallel on SQLite and fails now and then.
        indices: [
          new TableIndex({ name: 'IDX_sessions_owner', columnNames: ['owner'] }),
          new TableIndex({ name: 'IDX_sessions_state', columnNames: ['state'] }),
          new TableIndex({ name: 'IDX_sessions_submitToken', columnNames: ['submitToken'], isUnique: true }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('sessions');
  }
}
