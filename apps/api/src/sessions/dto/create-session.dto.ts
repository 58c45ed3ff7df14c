// POST /api/sessions: which app, and the user's answers to its form. The answers are checked
// against the app's manifest by libs/job-templates (bounds, options, patterns), not here.
import { ApiProperty } from '@nestjs/swagger';
import { IsObject, IsString, Matches } from 'class-validator';

export class CreateSessionDto {
  @ApiProperty({ description: "The app's id in the catalog (GET /api/apps).", example: 'desktop' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/, {
    message: 'appId must be an app id from the catalog, such as "desktop"',
  })
  appId!: string;

  @ApiProperty({
    description: "Answers to the app's form fields, by field id; omitted fields take their defaults.",
    example: { partition: 'viz', cpus: 2, memoryGb: 2, hours: 1 },
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] },
  })
  @IsObject({ message: 'values must be an object of field answers' })
  values: Record<string, unknown> = {};
}
