// The site's policy file (SITE_POLICY_FILE): partition access and quota limits, loaded once at start-up.
import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../config/app-config';
import { loadSitePolicyFile } from './site-policy-file';
import { SITE_POLICY_FILE, SitePolicy } from './site-policy.service';

@Global()
@Module({
  providers: [
    {
      provide: SITE_POLICY_FILE,
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) =>
        loadSitePolicyFile(config.get('SITE_POLICY_FILE', { infer: true })),
    },
    SitePolicy,
  ],
  exports: [SitePolicy],
})
export class PolicyModule {}
