// Each session's staging folder, <STAGING_DIR>/<session id>, shared between the portal and the
// nodes: the rendered script (job.sh), the job's output.log, and what the job leaves there
// (connection.json, end.json). With SLURM_SUBMIT_AS=user it belongs to the session's owner, since
// the job runs as them and must write into it.
import { execFile } from 'node:child_process';
import { chmod, chown, mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { type EndMarker, STAGING_FILES } from '@vizportal/job-templates';
import type { AppConfig } from '../config/app-config';

const run = promisify(execFile);
export const SCRIPT_FILE = 'job.sh';
export const OUTPUT_FILE = 'output.log';
/** How much of the output log's end a session's message carries when the job said why only there. */
export const MESSAGE_LOG_TAIL_BYTES = 2000;

@Injectable()
export class StagingArea {
  private readonly root: string;
  private readonly ownedByUser: boolean;

  constructor(config: ConfigService<AppConfig, true>) {
    this.root = resolve(config.get('STAGING_DIR', { infer: true }));
    this.ownedByUser = config.get('SLURM_SUBMIT_AS', { infer: true }) === 'user';
  }

  dirOf(sessionId: string): string {
    return join(this.root, sessionId);
  }

  outputPath(sessionId: string): string {
    return join(this.dirOf(sessionId), OUTPUT_FILE);
  }

  /** Creates the session's folder (mode 700) with its script, owned by the job's user when jobs run as users. */
  async prepare(sessionId: string, owner: string, script: string): Promise<string> {
    // Users may pass through the root but not list it: session ids are not for others to find.
    await mkdir(this.root, { recursive: true, mode: 0o711 });
    const dir = this.dirOf(sessionId);
    await mkdir(dir, { mode: 0o700 });
    await writeFile(join(dir, SCRIPT_FILE), script, { mode: 0o600 });
    if (this.ownedByUser) {
      const [uid, gid] = await Promise.all([unixId(owner, '-u'), unixId(owner, '-g')]);
      await chown(dir, uid, gid);
      await chown(join(dir, SCRIPT_FILE), uid, gid);
    }
    await chmod(dir, 0o700);
    return dir;
  }

  readScript(sessionId: string): Promise<string> {
    return readFile(join(this.dirOf(sessionId), SCRIPT_FILE), 'utf8');
  }

  /** The job's end.json, or null while it has written none (or it is unreadable). */
  async readEndMarker(sessionId: string): Promise<EndMarker | null> {
    try {
      const marker = JSON.parse(await readFile(join(this.dirOf(sessionId), STAGING_FILES.end), 'utf8')) as EndMarker;
      return typeof marker.exitCode === 'number' && typeof marker.reason === 'string' ? marker : null;
    } catch {
      return null;
    }
  }

  /** The last maxBytes of the job's output log; empty while there is none. */
  async tail(sessionId: string, maxBytes = 64 * 1024): Promise<{ text: string; truncated: boolean }> {
    let file;
    try {
      file = await open(this.outputPath(sessionId), 'r');
    } catch {
      return { text: '', truncated: false };
    }
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

  async remove(sessionId: string): Promise<void> {
    await rm(this.dirOf(sessionId), { recursive: true, force: true });
  }
}

async function unixId(user: string, flag: '-u' | '-g'): Promise<number> {
  const { stdout } = await run('id', [flag, '--', user]);
  return Number(stdout.trim());
}
