// Global, validated configuration (see app-config.ts for every variable and its default).
import { Module } from '@nestjs/common';
import { ConfigModule as NestConfigModule } from '@nestjs/config';
import { refuseJobsAsRoot, validateAppConfig } from './app-config';

@Module({
  imports: [
    NestConfigModule.forRoot({
      isGlobal: true,
      ignoreEnvFile: true,
      cache: true,
      validate: (env) => refuseJobsAsRoot(validateAppConfig(env)),
    }),
  ],
})
export class ConfigModule {}
