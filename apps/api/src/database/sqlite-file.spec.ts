import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareSqliteFile } from './sqlite-file';

describe('prepareSqliteFile', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'vizportal-sqlite-file-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the folder of a new database file', () => {
    const path = join(dir, 'data', 'nested', 'vizportal.sqlite');
    prepareSqliteFile(path);
    expect(existsSync(join(dir, 'data', 'nested'))).toBe(true);
    expect(existsSync(path)).toBe(false);
  });

  it('accepts an existing, writable file', () => {
    const path = join(dir, 'vizportal.sqlite');
    writeFileSync(path, '');
    expect(() => prepareSqliteFile(path)).not.toThrow();
  });

  it('names the path, the reason and the fix when the folder cannot be made', () => {
    writeFileSync(join(dir, 'a-file'), '');
    const path = join(dir, 'a-file', 'vizportal.sqlite');
    expect(() => prepareSqliteFile(path)).toThrow(
      new RegExp(
        `^DATABASE_PATH ${path}: the portal cannot write this SQLite file or its folder \\((EEXIST|ENOTDIR)\\)\\..*set DATABASE_PATH to a writable place`,
      ),
    );
  });

  it('leaves an in-memory database alone', () => {
    expect(() => prepareSqliteFile(':memory:')).not.toThrow();
  });
});
