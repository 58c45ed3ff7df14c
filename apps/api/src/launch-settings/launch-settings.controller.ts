// REST for the launcher's saved settings: an app's last values and presets for the logged-in user,
// and saving or deleting one of their presets. Each user sees and changes only their own.
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Put,
  UsePipes,
  ValidationPipe,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Audited } from '../audit/audited.decorator';
import { ApiNotLoggedInResponse } from '../auth/api-responses';
import { ApiAppNotAllowedResponse, ApiAppNotFoundResponse } from '../catalog/api-responses';
import { CurrentUser } from '../auth/auth.decorators';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { LaunchPresetResponse, LaunchSettingsResponse } from './dto/launch-settings.response';
import { AppParams, PresetParams } from './dto/preset-params.dto';
import { SavePresetDto } from './dto/save-preset.dto';
import { describePresetDelete, describePresetSave } from './launch-settings-audit';
import { LaunchSettingsService } from './launch-settings.service';

@ApiTags('apps')
@ApiNotLoggedInResponse()
@Controller('apps')
@UsePipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true }))
export class LaunchSettingsController {
  constructor(private readonly settings: LaunchSettingsService) {}

  @Get(':appId/settings')
  @ApiOperation({
    summary: "Your last launch's values for the app and your presets, each with what no longer fits its form",
    description:
      "Presets are read against the app's form as it is now (and the partitions you may use): `problems` has a sentence for each value the launch would refuse. Nothing is changed.",
  })
  @ApiOkResponse({ type: LaunchSettingsResponse })
  @ApiAppNotFoundResponse()
  @ApiAppNotAllowedResponse()
  get(@CurrentUser() user: AuthenticatedUser, @Param() params: AppParams): Promise<LaunchSettingsResponse> {
    return this.settings.settingsFor(user, params.appId);
  }

  @Put(':appId/presets/:name')
  @ApiOperation({
    summary: 'Save the form values as a preset of yours, replacing one of the same name',
    description: "The values must fit the app's form now, as a launch's must. At most 20 presets per app.",
  })
  @ApiOkResponse({ type: LaunchPresetResponse })
  @ApiBadRequestResponse({
    description: "A name that breaks the rule, or values the app's form refuses: one sentence each.",
    schema: {
      example: { statusCode: 400, error: 'Bad Request', message: ['CPUs must be at most 16 (saved: 64).'] },
    },
  })
  @ApiAppNotFoundResponse()
  @ApiAppNotAllowedResponse()
  @ApiConflictResponse({
    description: 'You have 20 presets for the app already.',
    schema: {
      example: {
        statusCode: 409,
        error: 'Conflict',
        message: 'You have 20 presets for ParaView, the most there may be. Delete one to save another.',
      },
    },
  })
  @ApiServiceUnavailableResponse({
    description: 'Slurm does not answer, so the partitions cannot be checked.',
  })
  @Audited('preset.save', describePresetSave)
  save(
    @CurrentUser() user: AuthenticatedUser,
    @Param() params: PresetParams,
    @Body() body: SavePresetDto,
  ): Promise<LaunchPresetResponse> {
    return this.settings.savePreset(user, params.appId, params.name, body.values);
  }

  @Delete(':appId/presets/:name')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a preset of yours' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiNotFoundResponse({
    description: 'You have no preset of that name for the app.',
    schema: {
      example: { statusCode: 404, message: 'You have no preset "big" for this app', error: 'Not Found' },
    },
  })
  @Audited('preset.delete', describePresetDelete)
  async remove(@CurrentUser() user: AuthenticatedUser, @Param() params: PresetParams): Promise<void> {
    await this.settings.deletePreset(user, params.appId, params.name);
  }
}
