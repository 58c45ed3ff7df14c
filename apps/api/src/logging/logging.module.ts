// Structured JSON logs through nestjs-pino: request lines from pino-http, and every Nest Logger
// call (once main.ts hands the app nestjs-pino's Logger) as JSON with the request's id.
import { Module, RequestMethod } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { AppConfig } from '../config/app-config';
import { pinoHttpOptions } from './pino-options';

/** Where log lines go; null is stdout. Tests override it to read what was logged. */
export const LOG_DESTINATION = Symbol.for('vizportal.LogDestination');

@Module({
  imports: [
    LoggerModule.forRootAsync({
      providers: [{ provide: LOG_DESTINATION, useValue: null }],
      inject: [ConfigService, LOG_DESTINATION],
      useFactory: (config: ConfigService<AppConfig, true>, destination: DestinationStream | null) => {
        const options = pinoHttpOptions(config.get('LOG_LEVEL', { infer: true }));
        return {
          pinoHttp: destination ? [options, destination] : options,
          forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
        };
      },
    }),
  ],
})
export class LoggingModule {}
