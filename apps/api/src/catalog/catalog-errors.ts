// The catalog's refusals, each carrying its HTTP answer.
import { ForbiddenException, NotFoundException } from '@nestjs/common';
import { type AccessRule, describeAccess } from '@vizportal/site-policy';

/** The app exists but the site limits it to other people: the sentence names the app and who may use it. */
export class AppNotAllowedError extends ForbiddenException {
  constructor(appTitle: string, rule: AccessRule) {
    super(
      `${appTitle} is limited by your site to ${describeAccess(rule)}. Ask your portal administrator if you need it.`,
    );
  }
}

export class AppNotFoundError extends NotFoundException {
  constructor(appId: string) {
    super(`There is no app "${appId}" in the catalog`);
  }
}
