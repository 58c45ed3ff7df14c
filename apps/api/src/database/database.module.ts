// The database: a SQLite file via TypeORM, in WAL mode so readers (REST) never wait on the poller's
// writes; or PostgreSQL when DATABASE_URL is set. A database that cannot take writes answers 503.
import { Global, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import sqlite3 from 'sqlite3';
import type { AppConfig } from '../config/app-config';
import { DatabaseUnavailableFilter } from './database-unavailable.filter';
import { DatabaseWriteStatus } from './database-write-status';
import { DatabaseWriteSubscriber } from './database-write.subscriber';
import { MIGRATIONS } from './migrations';
import { prepareSqliteFile } from './sqlite-file';

/**
 * sqlite3 as TypeORM's driver, but with verbose() a no-op. TypeORM calls verbose() on the driver it
 * loads, which wraps every statement call to capture a stack and util.inspect its SQL and
 * parameters: a few per cent of the API's CPU under load (bench/load.ts, profiled), for longer
 * stack traces the portal does not use.
 */
const sqliteDriver = Object.assign(Object.create(sqlite3) as typeof sqlite3, {
  verbose: () => sqlite3,
});

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) => {
        const url = config.get('DATABASE_URL', { infer: true });
        if (url) {
          // The same entities and migrations: they use TypeORM's portable types and schema API.
          return {
            type: 'postgres',
            url,
            autoLoadEntities: true,
            synchronize: false,
            migrations: MIGRATIONS,
            migrationsRun: true,
          };
        }
        const database = config.get('DATABASE_PATH', { infer: true });
        prepareSqliteFile(database);
        return {
          type: 'sqlite',
          driver: sqliteDriver,
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
  providers: [
    DatabaseWriteStatus,
    DatabaseWriteSubscriber,
    { provide: APP_FILTER, useClass: DatabaseUnavailableFilter },
  ],
  exports: [DatabaseWriteStatus],
})
export class DatabaseModule {}
