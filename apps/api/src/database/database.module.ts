// The database: a SQLite file via TypeORM, in WAL mode so readers (REST) never wait on the poller's
// writes; or PostgreSQL when DATABASE_URL is set.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from '../config/app-config';
import { MIGRATIONS } from './migrations';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) => {
        const url = config.get('DATABASE_URL', { infer: true });
        if (url) {
          // The same entities and migrations: they use TypeORM's portable types and schema API.
          return { type: 'postgres', url, autoLoadEntities: true, synchronize: false, migrations: MIGRATIONS, migrationsRun: true };
        }
        const database = config.get('DATABASE_PATH', { infer: true });
        if (database !== ':memory:') mkdirSync(dirname(database), { recursive: true });
        return {
          type: 'sqlite',
          database,
          enableWAL: true,
          busyTimeout: 5000,
          autoLoadEntities: true,
          synchronize: false,
          migrations: MIGRATIONS,
          migrationsRun: true,
        };
      },
    }),
  ],
})
export class DatabaseModule {}
