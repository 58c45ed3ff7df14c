// The site policy's refusals, each carrying its HTTP answer.
import { ForbiddenException } from '@nestjs/common';
import { type AccessRule, describeAccess } from '@vizportal/site-policy';

export class PartitionNotAllowedError extends ForbiddenException {
  constructor(partition: string, rule: AccessRule) {
    super(
      `The partition "${partition}" is limited by your site to ${describeAccess(rule)}. Choose another partition, or ask your portal administrator.`,
    );
  }
}
