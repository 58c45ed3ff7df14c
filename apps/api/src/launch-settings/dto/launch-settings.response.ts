// GET /api/apps/:appId/settings and PUT /api/apps/:appId/presets/:name, for Swagger.
import { ApiProperty } from '@nestjs/swagger';
import type { FormFieldValue, LaunchPresetDto, LaunchSettingsDto } from '@vizportal/session-domain';

const VALUES = {
  type: 'object' as const,
  additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] },
};

export class LaunchPresetResponse implements LaunchPresetDto {
  @ApiProperty({ example: 'big ParaView' }) name!: string;
  @ApiProperty({ ...VALUES, example: { partition: 'viz', cpus: 16 } }) values!: Record<
    string,
    FormFieldValue
  >;
  @ApiProperty({ example: '2026-12-03T14:05:00.000Z' }) savedAt!: string;
  @ApiProperty({
    type: [String],
    description:
      "One sentence per saved value the app's current form or the cluster would refuse; empty when the preset can be launched as it is.",
    example: ['CPUs must be at most 8 (saved: 16).'],
  })
  problems!: string[];
}

export class LaunchSettingsResponse implements LaunchSettingsDto {
  @ApiProperty({ example: 'paraview' }) appId!: string;
  @ApiProperty({
    ...VALUES,
    nullable: true,
    description:
      "The values of the user's last accepted launch of the app, as they were; null before the first.",
    example: { partition: 'viz', cpus: 4 },
  })
  last!: Record<string, FormFieldValue> | null;
  @ApiProperty({ type: [LaunchPresetResponse], description: 'By name.' }) presets!: LaunchPresetResponse[];
}
