// Users get Unix groups (as an administrator gives them, for the access rules), a disabled flag and a quota override.
import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';

export class GovernUsers1764340000000 implements MigrationInterface {
  name = 'GovernUsers1764340000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { driver } = queryRunner.connection;
    const bool = driver.normalizeType({ type: 'boolean' });
    // The entity's `default: false` as each driver writes it: SQLite stores booleans as 0/1.
    const no = driver.options.type === 'postgres' ? false : 0;
    // One column at a time: SQLite rebuilds the table for each, and concurrent rebuilds fail.
    for (const column of [
      new TableColumn({ name: 'groups', type: 'text', default: "'[]'" }),
      new TableColumn({ name: 'disabled', type: bool, default: no }),
      new TableColumn({ name: 'quotaOverride', type: 'text', isNullable: true }),
    ])
      await queryRunner.addColumn('users', column);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const column of ['quotaOverride', 'disabled', 'groups'])
      await queryRunner.dropColumn('users', column);
  }
}
