// A SQLite file the portal cannot write shows at start-up only as TypeORM retrying SQLITE_CANTOPEN
// for half a minute: say which file and what to do, before TypeORM tries.
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** Creates the database's folder, and throws a sentence an admin can act on if the portal cannot write there. */
export function prepareSqliteFile(path: string): void {
  if (path === ':memory:') return;
  try {
    mkdirSync(dirname(path), { recursive: true });
    // WAL mode keeps -wal and -shm files beside the database: the folder must be writable too.
    accessSync(dirname(path), constants.W_OK);
    if (existsSync(path)) accessSync(path, constants.R_OK | constants.W_OK);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new Error(
      `DATABASE_PATH ${path}: the portal cannot write this SQLite file or its folder (${reason}). ` +
        'It writes both (WAL mode keeps -wal and -shm files beside the file): fix their owner, ' +
        'permissions or attributes, or set DATABASE_PATH to a writable place.',
    );
  }
}
