// The database's disk fills up: its SQLite file on a small tmpfs, filled to the last byte
// (the shared test and what it proves: unwritable-database.ts).
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describeUnwritableDatabase } from './unwritable-database';

/** Writes zeros to `path` until the file system is full. */
function fillUp(path: string): void {
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(64 * 1024);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
}

describeUnwritableDatabase({
  name: 'the disk is full',
  prepare: (dbDir) => execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m,mode=0700', 'tmpfs', dbDir]),
  apply: (dbDir) => fillUp(join(dbDir, 'filler')),
  lift: (dbDir) => rmSync(join(dbDir, 'filler'), { force: true }),
  dispose: (dbDir) => execFileSync('umount', ['-l', dbDir]),
  healthMessage: /^writes fail: SQLITE_FULL/,
});
