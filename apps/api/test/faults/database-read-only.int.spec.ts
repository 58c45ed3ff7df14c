// The database file turns read-only (the shared test and what it proves: unwritable-database.ts).
// The API runs as root here, which a chmod does not stop, so the file, its WAL and their folder are
// made immutable (chattr +i), the one read-only that binds root too. And an API started on a
// read-only file stops at once with a sentence naming the file.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { SessionListDto } from '@vizportal/session-domain';
import { startApiTestApp } from '../support/api-test-app';
import { SessionClient } from '../support/session-client';
import { describeUnwritableDatabase } from './unwritable-database';

/**
 * chattr +i / -i on the database folder, the SQLite file and its WAL. Not the -shm index: SQLite
 * maps it into memory, and a store into a mapped page of an immutable file is a SIGBUS.
 */
function setImmutable(dbDir: string, on: boolean): void {
  const files = readdirSync(dbDir).filter((name) => !name.endsWith('-shm'));
  execFileSync('chattr', [on ? '+i' : '-i', dbDir, ...files.map((name) => join(dbDir, name))]);
}

describeUnwritableDatabase(
  {
    name: 'the file turns read-only',
    prepare: () => undefined,
    apply: (dbDir) => setImmutable(dbDir, true),
    lift: (dbDir) => setImmutable(dbDir, false),
    dispose: () => undefined,
    healthMessage: /^writes fail: SQLITE_/,
  },
  (suite) => {
    it('does not start again on the read-only file, and says which file and what to do', async () => {
      await suite.api.close();
      setImmutable(suite.dbDir, true);
      try {
        await expect(startApiTestApp({ DATABASE_PATH: suite.databasePath }, suite.root)).rejects.toThrow(
          `DATABASE_PATH ${suite.databasePath}: the portal cannot write this SQLite file or its folder (EPERM).`,
        );
      } finally {
        setImmutable(suite.dbDir, false);
      }
      // Writable again: the same file serves alice's sessions.
      suite.api = await startApiTestApp({ DATABASE_PATH: suite.databasePath }, suite.root);
      const list = await new SessionClient(suite.api.baseUrl, suite.alice.cookie).request(
        'GET',
        '/api/sessions',
      );
      expect(((await list.json()) as SessionListDto).sessions.map((s) => s.id)).toEqual(
        expect.arrayContaining(suite.launched),
      );
    });
  },
);
