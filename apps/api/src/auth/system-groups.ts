// A user's Unix groups as the system knows them (`id -Gn`), when jobs run as their owners
// (SLURM_SUBMIT_AS=user): then the account's own groups are what the access rules go by, beside
// any an administrator or the sign-on proxy gives. Cached briefly: asked on every request.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../config/app-config';

const run = promisify(execFile);
const CACHE_MS = 60_000;

@Injectable()
export class SystemGroups {
  private readonly logger = new Logger(SystemGroups.name);
  private readonly enabled: boolean;
  private readonly cache = new Map<string, { groups: Promise<string[]>; at: number }>();

  constructor(config: ConfigService<AppConfig, true>) {
    this.enabled = config.get('SLURM_SUBMIT_AS', { infer: true }) === 'user';
  }

  /** [] when jobs run as a service account, or when the system does not know the user. */
  of(username: string, now = Date.now()): Promise<string[]> {
    if (!this.enabled) return Promise.resolve([]);
    const cached = this.cache.get(username);
    if (cached && now - cached.at < CACHE_MS) return cached.groups;
    const groups = run('id', ['-Gn', '--', username], { timeout: 5000 }).then(
      ({ stdout }) => stdout.trim().split(/\s+/).filter(Boolean),
      (error: Error) => {
        this.logger.warn(`Could not read the Unix groups of ${username}: ${error.message.split('\n')[0]}`);
        this.cache.delete(username); // asked again next time, not cached as "no groups"
        return [];
      },
    );
    this.cache.set(username, { groups, at: now });
    return groups;
  }
}
