// The launcher's saved settings: each user's last values and named presets per app. The sessions
// module records last values through the exported LaunchSettingsService; nothing here knows sessions.
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CatalogModule } from '../catalog/catalog.module';
import { LaunchLastValuesEntity } from './entities/launch-last-values.entity';
import { LaunchPresetEntity } from './entities/launch-preset.entity';
import { LaunchSettingsController } from './launch-settings.controller';
import { LaunchSettingsService } from './launch-settings.service';

@Module({
  imports: [TypeOrmModule.forFeature([LaunchPresetEntity, LaunchLastValuesEntity]), CatalogModule],
  controllers: [LaunchSettingsController],
  providers: [LaunchSettingsService],
  exports: [LaunchSettingsService],
})
export class LaunchSettingsModule {}
