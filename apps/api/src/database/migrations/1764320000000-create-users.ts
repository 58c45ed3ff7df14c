// Creates the users table (local accounts) through TypeORM's schema API, so the same migration
// runs on SQLite and PostgreSQL.
import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';

export class CreateUsers1764320000000 implements MigrationInterface {
  name = 'CreateUsers1764320000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { driver } = queryRunner.connection;
    await queryRunner.createTable(
      new Table({
        name: 'users',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'username', type: 'varchar', length: '32' },
          { name: 'passwordHash', type: 'varchar', length: '60' },
          { name: 'isAdmin', type: driver.normalizeType({ type: 'boolean' }) },
          { name: 'createdAt', type: driver.normalizeType({ type: Date }) },
        ],
        indices: [new TableIndex({ name: 'IDX_users_username', columnNames: ['username'], isUnique: true })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('users');
  }
}
