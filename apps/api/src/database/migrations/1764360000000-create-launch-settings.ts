// The launcher's saved settings: named presets (launch_presets) and the last launch's values
// (launch_last_values), each keyed by user and app; TypeORM's schema API, for SQLite and PostgreSQL.
import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';

export class CreateLaunchSettings1764360000000 implements MigrationInterface {
  name = 'CreateLaunchSettings1764360000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { driver } = queryRunner.connection;
    const date = driver.normalizeType({ type: Date });
    const json = driver.normalizeType({ type: 'simple-json' });
    const owner = [
      { name: 'username', type: 'varchar', length: '64', isPrimary: true },
      { name: 'appId', type: 'varchar', length: '64', isPrimary: true },
    ];
    await queryRunner.createTable(
      new Table({
        name: 'launch_presets',
        columns: [
          ...owner,
          { name: 'name', type: 'varchar', length: '60', isPrimary: true },
          { name: 'fieldValues', type: json },
          { name: 'savedAt', type: date },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'launch_last_values',
        columns: [...owner, { name: 'fieldValues', type: json }, { name: 'savedAt', type: date }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('launch_last_values');
    await queryRunner.dropTable('launch_presets');
  }
}
