// Creates the login_sessions table: one row per login, holding only the SHA-256 of the cookie's token.
import { type MigrationInterface, type QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';

export class CreateLoginSessions1764320000001 implements MigrationInterface {
  name = 'CreateLoginSessions1764320000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = queryRunner.connection.driver.normalizeType({ type: Date });
    await queryRunner.createTable(
      new Table({
        name: 'login_sessions',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'tokenHash', type: 'varchar', length: '64' },
          { name: 'userId', type: 'varchar', length: '36' },
          { name: 'createdAt', type: timestamp },
          { name: 'expiresAt', type: timestamp },
          { name: 'lastSeenAt', type: timestamp },
        ],
        // Unnamed: TypeORM then derives the same name the entity's relation gets, on every driver.
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['userId'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
        // Declared with the table, not via createIndices: on SQLite that creates them concurrently on one
        // connection, and TypeORM's table reload then intermittently fails ("reading 'sql'").
        indices: [
          new TableIndex({
            name: 'IDX_login_sessions_tokenHash',
            columnNames: ['tokenHash'],
            isUnique: true,
          }),
          new TableIndex({ name: 'IDX_login_sessions_userId', columnNames: ['userId'] }),
          new TableIndex({ name: 'IDX_login_sessions_expiresAt', columnNames: ['expiresAt'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('login_sessions');
  }
}
