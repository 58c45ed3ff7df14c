// GET /api/quotas/mine: the user's use of each launch quota against its limit, for the launcher.
import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { QUOTA_NAMES, type QuotaDto, type QuotaName, type QuotaReportDto } from '@vizportal/site-policy';
import { ApiNotLoggedInResponse } from '../auth/api-responses';
import { CurrentUser } from '../auth/auth.decorators';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { SessionService } from './session.service';

class QuotaResponse implements QuotaDto {
  @ApiProperty({ enum: QUOTA_NAMES }) quota!: QuotaName;
  @ApiProperty({ example: 'Sessions running or waiting' }) label!: string;
  @ApiProperty({ example: 1, description: 'Session-hours include what live sessions may still run.' })
  used!: number;
  @ApiProperty({ nullable: true, type: Number, example: 3, description: 'null: no limit.' }) limit!:
    | number
    | null;
}

class QuotaReportResponse implements QuotaReportDto {
  @ApiProperty({ example: 'alice' }) username!: string;
  @ApiProperty({ type: [QuotaResponse] }) quotas!: QuotaResponse[];
}

@ApiTags('sessions')
@ApiNotLoggedInResponse()
@Controller('quotas')
export class QuotaController {
  constructor(private readonly sessions: SessionService) {}

  @Get('mine')
  @ApiOperation({
    summary:
      "The user's launch quotas: use against limit (from the site policy, their groups and an admin's override)",
  })
  @ApiOkResponse({ type: QuotaReportResponse })
  mine(@CurrentUser() user: AuthenticatedUser): Promise<QuotaReportDto> {
    return this.sessions.quotaReport(user);
  }
}
