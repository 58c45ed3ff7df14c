// Sessions record what Extend has added to their time limit, which a site bounds
// (SESSION_EXTEND_MAX_HOURS). Sessions from before were never extended.
import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';

export class RecordSessionExtensions1764350000000 implements MigrationInterface {
  name = 'RecordSessionExtensions1764350000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The driver's own name for the entity's 'int' (SQLite: integer), so the schema matches the entity exactly.
    const integer = queryRunner.connection.driver.normalizeType({ type: 'int' });
    await queryRunner.addColumn(
      'sessions',
      new TableColumn({ name: 'extendedMinutes', type: integer, isNullable: false, default: 0 }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('sessions', 'extendedMinutes');
  }
}
