// GET /api/admin/audit's filters and paging.
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsISO8601, IsInt, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';
import { AUDIT_ACTIONS, AUDIT_OUTCOMES, type AuditAction, type AuditOutcome } from '@vizportal/site-policy';

export const AUDIT_PAGE_MAX = 1000;

export class AuditQuery {
  @ApiPropertyOptional({
    description:
      "Only this user's events: what they did (actor) and what was done to their sessions or account (subject).",
    example: 'alice',
  })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.@-]{1,64}$/, { message: 'user must be a user name' })
  user?: string;

  @ApiPropertyOptional({ enum: AUDIT_ACTIONS })
  @IsOptional()
  @IsIn(AUDIT_ACTIONS, { message: `action must be one of: ${AUDIT_ACTIONS.join(', ')}` })
  action?: AuditAction;

  @ApiPropertyOptional({ enum: AUDIT_OUTCOMES, description: 'refused: a 4xx answer; failed: a 5xx.' })
  @IsOptional()
  @IsIn(AUDIT_OUTCOMES, { message: `outcome must be one of: ${AUDIT_OUTCOMES.join(', ')}` })
  outcome?: AuditOutcome;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'session must be a session id' })
  session?: string;

  @ApiPropertyOptional({
    description: 'From this time (ISO 8601), inclusive.',
    example: '2026-12-01T00:00:00Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be a date and time (ISO 8601)' })
  from?: string;

  @ApiPropertyOptional({ description: 'Until this time (ISO 8601), exclusive.' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be a date and time (ISO 8601)' })
  to?: string;

  @ApiPropertyOptional({ description: "The previous page's `next`: the events older than that page." })
  @IsOptional()
  @IsUUID('all', { message: 'before must be the next of a previous page' })
  before?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: AUDIT_PAGE_MAX, default: 100, type: 'integer' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: `limit must be a whole number from 1 to ${AUDIT_PAGE_MAX}` })
  @Min(1, { message: `limit must be a whole number from 1 to ${AUDIT_PAGE_MAX}` })
  @Max(AUDIT_PAGE_MAX, { message: `limit must be a whole number from 1 to ${AUDIT_PAGE_MAX}` })
  limit?: number;

  @ApiPropertyOptional({
    enum: ['json', 'csv'],
    default: 'json',
    description: 'csv: a spreadsheet-ready download of this page.',
  })
  @IsOptional()
  @IsIn(['json', 'csv'], { message: 'format must be json or csv' })
  format?: 'json' | 'csv';
}
