// Whose Unix account a session's job runs as: its owner's (SLURM_SUBMIT_AS=user), or one service
// account (SLURM_JOB_ACCOUNT, else the API's own). Never root: a portal user gets no more rights on
// a node than their own account. Start-up refuses an API running as root with no account to use
// (validateAppConfig); this refuses, per launch, an owner whose account is root.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../config/app-config';
import { NoUnixAccountError, RootJobRefusedError } from './session-errors';

const run = promisify(execFile);

/** A Unix account other than the API's own, that jobs run as through `sudo -n -u`. */
export interface UnixAccount {
  name: string;
  uid: number;
  gid: number;
}

@Injectable()
export class JobAccount {
  private readonly perUser: boolean;
  private readonly serviceAccount: string;

  constructor(config: ConfigService<AppConfig, true>) {
    this.perUser = config.get('SLURM_SUBMIT_AS', { infer: true }) === 'user';
    this.serviceAccount = config.get('SLURM_JOB_ACCOUNT', { infer: true });
  }

  /** The account a job of this owner runs as; undefined for the API's own. */
  nameFor(owner: string): string | undefined {
    if (this.perUser) return owner;
    return this.serviceAccount || undefined;
  }

  /**
   * The account, looked up on this host (which shares the nodes' accounts), before anything of
   * the launch is written: 403 with a sentence for an owner with no account, or whose account is root.
   */
  async resolve(owner: string): Promise<UnixAccount | null> {
    const name = this.nameFor(owner);
    if (name === undefined) return null;
    // One look-up for both ids: name:password:uid:gid:…
    let entry: string;
    try {
      entry = (await run('getent', ['passwd', '--', name])).stdout;
    } catch {
      throw new NoUnixAccountError(name, this.perUser);
    }
    const [uid, gid] = entry.split(':').slice(2, 4).map(Number);
    if (uid === 0) throw new RootJobRefusedError(name);
    return { name, uid, gid };
  }
}
