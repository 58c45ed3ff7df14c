// The SessionDto of libs/session-domain as a Swagger schema: the same shape the socket sends.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  END_REASONS,
  type EndReason,
  SESSION_STATES,
  type SessionDto,
  type SessionState,
} from '@vizportal/session-domain';

export class IdleStopResponse {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ example: 'Stopped after 2 h without a connection.' }) reason!: string;
}

export class SessionResponse implements SessionDto {
  @ApiProperty({ example: '0b6f3f0e-3c1c-4c55-9a39-0f2d3cf1b9a1' }) id!: string;
  @ApiProperty({ example: 'desktop' }) appId!: string;
  @ApiProperty({ example: 'Desktop' }) appTitle!: string;
  @ApiProperty({ example: 'alice' }) owner!: string;
  @ApiProperty({ enum: SESSION_STATES, example: 'running' }) state!: SessionState;
  @ApiProperty({ type: 'object', additionalProperties: true, example: { partition: 'viz', cpus: 2 } })
  values!: Record<string, string | number | boolean>;
  @ApiPropertyOptional({ type: String, nullable: true, example: '1234' }) jobId!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: 'viz01' }) node!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: 'RUNNING' }) slurmState!: string | null;
  @ApiProperty({ type: [String], example: [] }) slurmFlags!: string[];
  @ApiPropertyOptional({ type: String, nullable: true, example: 'None' }) slurmReason!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) expectedStartAt!: string | null;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) startedAt!: string | null;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) readyAt!: string | null;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) endedAt!: string | null;
  @ApiPropertyOptional({ type: Number, nullable: true, example: 60 }) timeLimitMinutes!: number | null;
  @ApiProperty({ description: 'What Extend has added to the time limit so far, in minutes.', example: 0 })
  extendedMinutes!: number;
  @ApiPropertyOptional({ type: Number, nullable: true, example: 52 }) timeLeftMinutes!: number | null;
  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    nullable: true,
    description:
      'When the user is warned that the time limit is near (SESSION_TIME_WARNING_MINUTES before it); null unless running with a longer limit.',
  })
  timeWarningAt!: string | null;
  @ApiPropertyOptional({
    type: IdleStopResponse,
    nullable: true,
    description:
      "The idle stop the owner is warned of (the site's idle limit is near): when, and the sentence the session will end with. POST /api/sessions/{id}/keep withdraws it.",
  })
  idleStop!: IdleStopResponse | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) exitCode!: number | null;
  @ApiPropertyOptional({ enum: END_REASONS, nullable: true }) endReason!: EndReason | null;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description:
      "Why it ended, in words: Slurm's rejection, or the end of the job's output log for a desktop that never reported ready or an app that failed by itself",
  })
  message!: string | null;
  @ApiProperty({ example: 'Running on viz01' }) headline!: string;
  @ApiPropertyOptional({ type: String, nullable: true, example: '52 min left' }) detail!: string | null;
  @ApiProperty() canConnect!: boolean;
  @ApiProperty() canStop!: boolean;
  @ApiProperty() canDelete!: boolean;
  @ApiProperty({ description: 'Running with a known time limit: POST /extend may ask Slurm for more time.' })
  canExtend!: boolean;
}
