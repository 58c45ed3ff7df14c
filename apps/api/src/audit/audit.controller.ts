// GET /api/admin/audit: the audit log for administrators, filtered and paged, as JSON or CSV.
import { Controller, Get, Query, Res, UsePipes, ValidationPipe } from '@nestjs/common';
import {
  ApiCookieAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { AuditPageDto } from '@vizportal/site-policy';
import type { Response } from 'express';
import { ApiFieldErrorsResponse, ApiNotLoggedInResponse } from '../auth/api-responses';
import { AdminOnly } from '../auth/auth.decorators';
import { SESSION_COOKIE_NAME } from '../auth/auth.service';
import { auditCsv } from './audit-csv';
import { AuditService, toAuditEventDto } from './audit.service';
import { AuditPageResponse } from './dto/audit-page.response';
import { AuditQuery } from './dto/audit-query';

@ApiTags('admin')
@ApiCookieAuth(SESSION_COOKIE_NAME)
@ApiNotLoggedInResponse()
@ApiForbiddenResponse({
  description: 'Not an administrator.',
  schema: { example: { statusCode: 403, message: 'Only an administrator may do this', error: 'Forbidden' } },
})
@AdminOnly()
@Controller('admin/audit')
@UsePipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }))
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({ summary: 'The audit log, newest first (administrators only)' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: AuditPageResponse })
  @ApiFieldErrorsResponse([
    'action must be one of: login, logout, …',
    'outcome must be one of: ok, refused, failed',
    'from must be a date and time (ISO 8601)',
  ])
  async list(
    @Query() query: AuditQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AuditPageDto | string> {
    const before = query.before ? await this.audit.findById(query.before) : null;
    const limit = query.limit ?? 100;
    const { events, more } = await this.audit.page({
      user: query.user,
      action: query.action,
      outcome: query.outcome,
      sessionId: query.session,
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
      before: before ? { at: before.at, id: before.id } : undefined,
      limit,
    });
    const dtos = events.map(toAuditEventDto);
    const last = dtos[dtos.length - 1];
    const next = more && last ? last.id : null;
    if (query.format === 'csv') {
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', 'attachment; filename="vizportal-audit.csv"');
      if (next) res.setHeader('X-Next-Before', next);
      return auditCsv(dtos);
    }
    return { events: dtos, next };
  }
}
