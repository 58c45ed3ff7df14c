// Idle auto-stop: sessions record when a VNC client last connected or left, last gave input, when
// the owner last kept the session, and the idle stop they were warned of. Null for older sessions:
// their clocks start at readiness (or at the API's start), as for a new one.
import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';

const TIMES = ['lastViewedAt', 'lastInputAt', 'keptAt', 'idleStopAt'];

export class RecordSessionIdleness1764360000001 implements MigrationInterface {
  name = 'RecordSessionIdleness1764360000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The driver's own names for the entity's types (SQLite: datetime, text; PostgreSQL: timestamp, text).
    const driver = queryRunner.connection.driver;
    const timestamp = driver.normalizeType({ type: Date });
    await queryRunner.addColumns('sessions', [
      ...TIMES.map((name) => new TableColumn({ name, type: timestamp, isNullable: true })),
      new TableColumn({
        name: 'idleStopReason',
        type: driver.normalizeType({ type: 'text' }),
        isNullable: true,
      }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of ['idleStopReason', ...TIMES.reverse()]) await queryRunner.dropColumn('sessions', name);
  }
}
