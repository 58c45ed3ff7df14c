// The staging folder's reads refuse what a job's user could plant there instead of its own files.
import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../config/app-config';
import { UnsafeStagingFileError } from './session-errors';
import { StagingArea } from './staging-area';

const ID = '0b7f6f2e-2d7c-4a53-9a43-3f1f2b6c9a10';
let root: string;
let staging: StagingArea;
let secret: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'staging-area-'));
  const settings: Partial<AppConfig> = { STAGING_DIR: join(root, 'sessions'), SLURM_SUBMIT_AS: 'service' };
  staging = new StagingArea({ get: (key: keyof AppConfig) => settings[key] } as unknown as ConfigService<
    AppConfig,
    true
  >);
  mkdirSync(staging.dirOf(ID), { recursive: true });
  secret = join(root, 'portal-database.sqlite');
  writeFileSync(secret, 'other users\u2019 VNC passwords');
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

const inFolder = (name: string) => join(staging.dirOf(ID), name);

describe('StagingArea', () => {
  it('reads the plain files a job wrote', async () => {
    writeFileSync(inFolder('output.log'), 'line 1\nline 2\n');
    writeFileSync(
      inFolder('end.json'),
      '{"exitCode":143,"reason":"time-limit","endedAt":"2026-12-03T10:00:00Z"}\n',
    );
    await expect(staging.tail(ID)).resolves.toEqual({ text: 'line 1\nline 2\n', truncated: false });
    await expect(staging.tail(ID, 7)).resolves.toEqual({ text: 'line 2\n', truncated: true });
    await expect(staging.readEndMarker(ID)).resolves.toEqual({
      exitCode: 143,
      reason: 'time-limit',
      endedAt: '2026-12-03T10:00:00Z',
    });
  });

  it('has no log and no marker before the job wrote them', async () => {
    await expect(staging.tail(ID)).resolves.toEqual({ text: '', truncated: false });
    await expect(staging.readEndMarker(ID)).resolves.toBeNull();
  });

  it.each([
    ['a symbolic link', (target: string, file: string) => symlinkSync(target, file), /is a symbolic link/],
    [
      'a hard link',
      (target: string, file: string) => linkSync(target, file),
      /is a hard link to another file/,
    ],
  ])('refuses an output.log that is %s to another file, with a sentence', async (_, plant, message) => {
    plant(secret, inFolder('output.log'));
    await expect(staging.tail(ID)).rejects.toThrow(UnsafeStagingFileError);
    await expect(staging.tail(ID)).rejects.toThrow(message);
    // A failure message built from the log carries the refusal, never the other file's text.
    await expect(staging.messageTail(ID)).resolves.toMatch(message);
    await expect(staging.messageTail(ID)).resolves.not.toContain('VNC passwords');
  });

  it('refuses a FIFO without blocking on it', async () => {
    execFileSync('mkfifo', [inFolder('output.log')]);
    await expect(staging.tail(ID)).rejects.toThrow(/is not a plain file/);
  });

  it('refuses a linked job.sh, so a relaunch never submits another file', async () => {
    symlinkSync(secret, inFolder('job.sh'));
    await expect(staging.readScript(ID)).rejects.toThrow(/job.sh is a symbolic link/);
  });

  it('takes no end marker through a link, nor one with a reason the wrapper never writes', async () => {
    const planted = join(root, 'planted.json');
    writeFileSync(planted, '{"exitCode":0,"reason":"app-exited","endedAt":"2026-12-03T10:00:00Z"}');
    symlinkSync(planted, inFolder('end.json'));
    await expect(staging.readEndMarker(ID)).resolves.toBeNull();
    rmSync(inFolder('end.json'));
    writeFileSync(inFolder('end.json'), '{"exitCode":0,"reason":"made-up","endedAt":"2026-12-03T10:00:00Z"}');
    await expect(staging.readEndMarker(ID)).resolves.toBeNull();
  });
});
