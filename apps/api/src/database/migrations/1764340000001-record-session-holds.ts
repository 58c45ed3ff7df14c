// Sessions record the CPUs and GPUs they asked for, which count against the owner's quotas.
// Sessions from before have none recorded and hold none.
import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';

export class RecordSessionHolds1764340000001 implements MigrationInterface {
  name = 'RecordSessionHolds1764340000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The driver's own name for the entity's 'int' (SQLite: integer), so the schema matches the entity exactly.
    const integer = queryRunner.connection.driver.normalizeType({ type: 'int' });
    for (const column of [
      new TableColumn({ name: 'cpus', type: integer, isNullable: true }),
      new TableColumn({ name: 'gpus', type: integer, isNullable: true }),
    ])
      await queryRunner.addColumn('sessions', column);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const column of ['gpus', 'cpus']) await queryRunner.dropColumn('sessions', column);
  }
}
