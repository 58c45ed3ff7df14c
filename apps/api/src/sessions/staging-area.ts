// Each session's staging folder, <STAGING_DIR>/<session id>, shared between the portal and the
// nodes: the rendered script (job.sh), the job's output.log, and what the job leaves there
// (connection.json, end.json). When jobs run as another account than the API's (SLURM_SUBMIT_AS=user,
// or SLURM_JOB_ACCOUNT), it belongs to that account, since the job must write into it.
import { constants } from 'node:fs';
import { chmod, chown, type FileHandle, lchown, mkdir, open, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { type EndMarker, type EndReason, isEndReason, STAGING_FILES } from '@vizportal/job-templates';
import type { EndMarkerReason } from '@vizportal/session-domain';
import type { AppConfig } from '../config/app-config';
import type { UnixAccount } from './job-account';
import { UnsafeStagingFileError } from './session-errors';

// The wrapper (job-templates) writes the end reasons the state machine (session-domain) reads. The
// libs stand alone, so here, where the two meet, the compiler holds the two lists equal.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const END_REASONS_AGREE: Same<EndReason, EndMarkerReason> = true;
void END_REASONS_AGREE;

export const SCRIPT_FILE = 'job.sh';
export const OUTPUT_FILE = 'output.log';
/** How much of the output log's end a session's message carries when the job said why only there. */
const MESSAGE_LOG_TAIL_BYTES = 2000;

@Injectable()
export class StagingArea {
  private readonly root: string;

  constructor(config: ConfigService<AppConfig, true>) {
    this.root = resolve(config.get('STAGING_DIR', { infer: true }));
  }

  dirOf(sessionId: string): string {
    return join(this.root, sessionId);
  }

  outputPath(sessionId: string): string {
    return join(this.dirOf(sessionId), OUTPUT_FILE);
  }

  /** Creates the session's folder (mode 700) with its script, owned by the job's account when that is not the API's. */
  async prepare(sessionId: string, account: UnixAccount | null, script: string): Promise<string> {
    // Users may pass through the root but not list it: session ids are not for others to find.
    await mkdir(this.root, { recursive: true, mode: 0o711 });
    const dir = this.dirOf(sessionId);
    await mkdir(dir, { mode: 0o700 });
    await writeFile(join(dir, SCRIPT_FILE), script, { mode: 0o600 });
    if (account !== null) {
      // The script first, while the folder is still the portal's: once the folder is the user's, they
      // could swap job.sh for a link, and a chown through it would hand them the link's target.
      await lchown(join(dir, SCRIPT_FILE), account.uid, account.gid);
      await chown(dir, account.uid, account.gid);
    }
    await chmod(dir, 0o700);
    return dir;
  }

  /** The session's rendered job.sh, to submit again. */
  async readScript(sessionId: string): Promise<string> {
    const file = await this.openSafely(sessionId, SCRIPT_FILE);
    // Not unsafe, just gone (the folder was removed by hand): the resubmission fails and is logged.
    if (file === null) throw new Error(`session ${sessionId} has no ${SCRIPT_FILE} to submit again`);
    try {
      return await file.readFile('utf8');
    } finally {
      await file.close();
    }
  }

  /** The job's end.json, or null while it has written none, or none the portal can trust. */
  async readEndMarker(sessionId: string): Promise<EndMarker | null> {
    let file: FileHandle | null = null;
    try {
      file = await this.openSafely(sessionId, STAGING_FILES.end);
      if (file === null) return null;
      const marker = JSON.parse(await file.readFile('utf8')) as Partial<EndMarker>;
      return typeof marker.exitCode === 'number' &&
        isEndReason(marker.reason) &&
        typeof marker.endedAt === 'string'
        ? { exitCode: marker.exitCode, reason: marker.reason, endedAt: marker.endedAt }
        : null;
    } catch {
      // An unsafe or malformed marker is no marker: the job is then judged by Slurm, or as vanished.
      return null;
    } finally {
      await file?.close();
    }
  }

  /** The last maxBytes of the job's output log; empty while there is none. */
  async tail(sessionId: string, maxBytes = 64 * 1024): Promise<{ text: string; truncated: boolean }> {
    const file = await this.openSafely(sessionId, OUTPUT_FILE);
    if (file === null) return { text: '', truncated: false };
    try {
      const { size } = await file.stat();
      const length = Math.min(size, maxBytes);
      const buffer = Buffer.alloc(length);
      await file.read(buffer, 0, length, size - length);
      return { text: buffer.toString('utf8'), truncated: size > maxBytes };
    } finally {
      await file.close();
    }
  }

  /**
   * The end of the job's output, trimmed, for a session's message when the job said why only
   * there; an unsafe log gives the refusal instead, so the message is never another file's text.
   */
  async messageTail(sessionId: string): Promise<string> {
    try {
      return (await this.tail(sessionId, MESSAGE_LOG_TAIL_BYTES)).text.trim();
    } catch (error) {
      if (error instanceof UnsafeStagingFileError) return error.message;
      throw error;
    }
  }

  /**
   * Opens a file of the session's folder for reading, or null when it does not exist. Never
   * follows a link (O_NOFOLLOW), never blocks on a FIFO (O_NONBLOCK), and refuses, with
   * UnsafeStagingFileError, anything but a plain file with one link and the folder's owner.
   */
  private async openSafely(sessionId: string, name: string): Promise<FileHandle | null> {
    const dir = this.dirOf(sessionId);
    let file: FileHandle;
    try {
      file = await open(join(dir, name), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return null;
      if (code === 'ELOOP') throw new UnsafeStagingFileError(name, 'a symbolic link');
      throw error;
    }
    try {
      const [info, folder] = await Promise.all([file.stat(), stat(dir)]);
      const why = !info.isFile()
        ? 'not a plain file'
        : info.nlink !== 1
          ? 'a hard link to another file'
          : info.uid !== folder.uid
            ? "not owned by the session folder's owner"
            : null;
      if (why !== null) throw new UnsafeStagingFileError(name, why);
      return file;
    } catch (error) {
      await file.close();
      throw error;
    }
  }

  async remove(sessionId: string): Promise<void> {
    await rm(this.dirOf(sessionId), { recursive: true, force: true });
  }
}
