// A database that cannot take writes (disk full, read-only file, lost connection) answers 503 with
// a sentence for the user, instead of a 500 and a stack; the API keeps serving and recovers by
// itself once the database is writable again. Any other database error goes on to Nest's default.
import { type ArgumentsHost, Catch, HttpStatus, Logger } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable } from './database-unavailable';
import { DatabaseWriteStatus } from './database-write-status';

@Catch(QueryFailedError)
export class DatabaseUnavailableFilter extends BaseExceptionFilter {
  private readonly logger = new Logger(DatabaseUnavailableFilter.name);

  constructor(private readonly status: DatabaseWriteStatus) {
    super();
  }

  override catch(error: QueryFailedError, host: ArgumentsHost): void {
    if (!isDatabaseUnavailable(error) || host.getType() !== 'http') return super.catch(error, host);
    this.status.failed(error.message);
    this.logger.warn(`database unavailable: ${error.message}`);
    host.switchToHttp().getResponse<Response>().status(HttpStatus.SERVICE_UNAVAILABLE).json({
      statusCode: HttpStatus.SERVICE_UNAVAILABLE,
      error: 'Database Unavailable',
      message: DATABASE_UNAVAILABLE_MESSAGE,
    });
  }
}
