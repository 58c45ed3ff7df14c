// The SessionListDto of libs/session-domain as a Swagger schema.
import { ApiProperty } from '@nestjs/swagger';
import type { SessionListDto } from '@vizportal/session-domain';
import { SessionResponse } from './session.response';

export class SessionListResponse implements SessionListDto {
  @ApiProperty({
    type: [SessionResponse],
    description:
      'Newest first. Without `before`: every live session (submitting, queued, starting, running) and the `limit` most recent ended ones; with `before`: only ended sessions older than that page.',
  })
  sessions!: SessionResponse[];

  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'Pass it as `before` for the next, older page of ended sessions; null when there are no more.',
    example: 'MjAyNi0xMS0yOFQwOToxMjowMC4wMDBafDBiNmYzZjBlLTNjMWMtNGM1NS05YTM5LTBmMmQzY2YxYjlhMQ',
  })
  nextBefore!: string | null;
}
