// Indexes for GET /api/sessions, which reads every live session of a user and a page of their ended
// ones: ended ones in the list's order (createdAt, then id), per owner and for everyone (admins),
// so a page is read without sorting them all; live ones by (state, owner), so a user's few live
// rows are found without reading their whole history. These replace IDX_sessions_owner and
// IDX_sessions_state, which are the leading columns of two of them.
import { type MigrationInterface, type QueryRunner, TableIndex } from 'typeorm';

const INDICES = [
  new TableIndex({ name: 'IDX_sessions_owner_createdAt', columnNames: ['owner', 'createdAt', 'id'] }),
  new TableIndex({ name: 'IDX_sessions_createdAt', columnNames: ['createdAt', 'id'] }),
  new TableIndex({ name: 'IDX_sessions_state_owner', columnNames: ['state', 'owner'] }),
];
const REPLACED = [
  new TableIndex({ name: 'IDX_sessions_owner', columnNames: ['owner'] }),
  new TableIndex({ name: 'IDX_sessions_state', columnNames: ['state'] }),
];

export class IndexSessionsByCreatedAt1764330000000 implements MigrationInterface {
  name = 'IndexSessionsByCreatedAt1764330000000';

  // One index at a time: createIndices() creates them concurrently, which intermittently fails on SQLite.
  async up(queryRunner: QueryRunner): Promise<void> {
    for (const index of INDICES) await queryRunner.createIndex('sessions', index);
    for (const index of REPLACED) await queryRunner.dropIndex('sessions', index.name as string);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const index of REPLACED) await queryRunner.createIndex('sessions', index);
    for (const index of INDICES) await queryRunner.dropIndex('sessions', index.name as string);
  }
}
