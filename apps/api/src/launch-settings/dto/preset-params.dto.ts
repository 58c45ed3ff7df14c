// The path of a preset: /api/apps/:appId/presets/:name.
import { ApiProperty } from '@nestjs/swagger';
import { PRESET_NAME_PATTERN, PRESET_NAME_RULE } from '@vizportal/session-domain';
import { IsString, Matches } from 'class-validator';

export class AppParams {
  @ApiProperty({ description: "The app's id in the catalog.", example: 'paraview' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/, {
    message: 'appId must be an app id from the catalog, such as "desktop"',
  })
  appId!: string;
}

export class PresetParams extends AppParams {
  @ApiProperty({ description: `${PRESET_NAME_RULE}.`, example: 'big ParaView' })
  @IsString()
  @Matches(PRESET_NAME_PATTERN, { message: PRESET_NAME_RULE })
  name!: string;
}
