import { ApiProperty } from '@nestjs/swagger';
import { AUDIT_ACTIONS, AUDIT_OUTCOMES, type AuditEventDto, type AuditPageDto } from '@vizportal/site-policy';

export class AuditEventResponse implements AuditEventDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: '2026-12-03T14:05:00.000Z' }) at!: string;
  @ApiProperty({ example: 'alice', description: 'Who acted; for a refused login, the name that was tried.' })
  actor!: string;
  @ApiProperty({ enum: AUDIT_ACTIONS }) action!: AuditEventDto['action'];
  @ApiProperty({ enum: AUDIT_OUTCOMES, description: 'refused: a quota, a permission or bad input said no.' })
  outcome!: AuditEventDto['outcome'];
  @ApiProperty({ nullable: true, type: String, example: '192.0.2.10' }) address!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) sessionId!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: "Whose session or account it was, when not the actor's.",
  })
  subject!: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { appId: 'desktop', values: { cpus: 2 }, jobId: '42' },
    description: 'What was asked and what came of it; never a password, token or secret.',
  })
  details!: Record<string, unknown>;
}

export class AuditPageResponse implements AuditPageDto {
  @ApiProperty({ type: [AuditEventResponse] }) events!: AuditEventResponse[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `before` for the next, older page.' })
  next!: string | null;
}
