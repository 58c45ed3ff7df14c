// The site's rules as the rest of the API asks them: may this user launch this app, into this
// partition, and which quota limits apply to them.
import { Inject, Injectable } from '@nestjs/common';
import {
  type AccessRule,
  type Principal,
  type QuotaLimits,
  type QuotaOverride,
  effectiveLimits,
  mayUse,
} from '@vizportal/site-policy';
import type { IdleLimits } from '@vizportal/session-domain';
import type { SitePolicyFile } from './site-policy-file';

export const SITE_POLICY_FILE = Symbol('SITE_POLICY_FILE');

@Injectable()
export class SitePolicy {
  constructor(@Inject(SITE_POLICY_FILE) private readonly file: SitePolicyFile) {}

  partitionRule(partition: string): AccessRule | undefined {
    return this.file.partitions[partition];
  }

  mayUsePartition(partition: string, who: Principal): boolean {
    return mayUse(this.partitionRule(partition), who);
  }

  /** The idle auto-stop limits of an app: the site's, with the app's own overrides. */
  idleLimitsFor(appId: string): IdleLimits {
    const { disconnectedMinutes, noInputMinutes, warningMinutes, apps } = this.file.idle;
    return { disconnectedMinutes, noInputMinutes, warningMinutes, ...apps[appId] };
  }

  /** The file's defaults, group and user overrides, then the admin's override of this account (wins). */
  limitsFor(who: Principal, accountOverride: QuotaOverride = {}): QuotaLimits {
    return effectiveLimits(this.file.quotas, who.groups, {
      ...this.file.quotas.users[who.username],
      ...accountOverride,
    });
  }
}
