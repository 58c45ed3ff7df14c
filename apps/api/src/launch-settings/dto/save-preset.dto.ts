// PUT /api/apps/:appId/presets/:name: the form values to keep under the name. They are checked
// against the app's form by libs/job-templates, as a launch's are, not here.
import { ApiProperty } from '@nestjs/swagger';
import { IsObject } from 'class-validator';

export class SavePresetDto {
  @ApiProperty({
    description:
      "Answers to the app's form fields, by field id; omitted fields take their defaults at launch.",
    example: { partition: 'viz', cpus: 16, memory: 32, hours: 4 },
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] },
  })
  @IsObject({ message: 'values must be an object of field answers' })
  values!: Record<string, unknown>;
}
