// Start-up: with ADMIN_USERNAME and ADMIN_PASSWORD set, makes sure that administrator exists, so a
// fresh portal can be logged into. An existing account is never changed (its password may have moved on).
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AUTH_CONFIG, type AuthConfig } from './auth-config';
import { UserService } from './user.service';

@Injectable()
export class FirstAdmin implements OnApplicationBootstrap {
  private readonly logger = new Logger(FirstAdmin.name);

  constructor(
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
    private readonly users: UserService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { ADMIN_USERNAME: username, ADMIN_PASSWORD: password, AUTH_MODE: mode } = this.config;
    if (!username || !password) return;
    if (mode !== 'local') {
      this.logger.warn(
        'ADMIN_USERNAME is ignored with AUTH_MODE=header; name administrators in AUTH_ADMIN_USERS',
      );
      return;
    }
    const { user, created } = await this.users.ensureUser(username, password, true);
    if (created) this.logger.log(`Created the administrator "${username}" from ADMIN_USERNAME`);
    else if (!user.isAdmin)
      this.logger.warn(
        `ADMIN_USERNAME names "${username}", an existing account that is not an administrator; left unchanged`,
      );
  }
}
