// GET /api/sessions?limit=&before=: how many ended sessions per page, and where the previous page
// stopped. Live sessions are never paged: the first page carries every one of them.
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsOptional, ValidateBy } from 'class-validator';
import { decodeSessionCursor } from '../session-cursor';

export const SESSION_PAGE_DEFAULT_LIMIT = 20;
export const SESSION_PAGE_MAX_LIMIT = 100;

const LIMIT_MESSAGE = `limit must be a whole number from 1 to ${SESSION_PAGE_MAX_LIMIT}`;

export class ListSessionsQuery {
  @ApiPropertyOptional({
    description: 'How many ended sessions per page (live ones are always all there).',
    minimum: 1,
    maximum: SESSION_PAGE_MAX_LIMIT,
    default: SESSION_PAGE_DEFAULT_LIMIT,
    type: 'integer',
  })
  @IsOptional()
  @Type(() => Number)
  // One check, so a bad value gets one sentence (IsInt, Min and Max would each add theirs).
  @ValidateBy({
    name: 'isPageLimit',
    validator: {
      validate: (value: unknown) =>
        Number.isInteger(value) && (value as number) >= 1 && (value as number) <= SESSION_PAGE_MAX_LIMIT,
      defaultMessage: () => LIMIT_MESSAGE,
    },
  })
  limit?: number;

  @ApiPropertyOptional({
    description: "The previous page's `nextBefore`: read the ended sessions older than that page. Opaque.",
    example: 'MjAyNi0xMS0yOFQwOToxMjowMC4wMDBafDBiNmYzZjBlLTNjMWMtNGM1NS05YTM5LTBmMmQzY2YxYjlhMQ',
  })
  @IsOptional()
  @ValidateBy({
    name: 'isSessionCursor',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && decodeSessionCursor(value) !== null,
      defaultMessage: () => 'before must be the nextBefore of a previous page',
    },
  })
  before?: string;
}
