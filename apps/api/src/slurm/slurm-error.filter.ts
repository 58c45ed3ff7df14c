// The one place where Slurm's typed errors (libs/slurm-client, which knows nothing of HTTP) become
// HTTP answers a person can act on.
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpStatus, Logger } from '@nestjs/common';
import {
  InvalidSlurmRequestError,
  JobNotFoundError,
  JobRejectedError,
  SlurmError,
  SlurmUnavailableError,
} from '@vizportal/slurm-client';
import type { Response } from 'express';

export function slurmErrorResponse(error: SlurmError): { status: number; message: string; error: string } {
  if (error instanceof SlurmUnavailableError)
    return {
      status: HttpStatus.SERVICE_UNAVAILABLE,
      error: 'Slurm Unavailable',
      message: `Slurm is unreachable: ${error.message}`,
    };
  if (error instanceof JobRejectedError)
    return {
      status: HttpStatus.UNPROCESSABLE_ENTITY,
      error: 'Rejected by Slurm',
      message: error.slurmMessage,
    };
  if (error instanceof JobNotFoundError)
    return { status: HttpStatus.NOT_FOUND, error: 'Not Found', message: error.message };
  if (error instanceof InvalidSlurmRequestError)
    return { status: HttpStatus.BAD_REQUEST, error: 'Bad Request', message: error.message };
  return { status: HttpStatus.BAD_GATEWAY, error: 'Slurm Error', message: `Slurm failed: ${error.message}` };
}

@Catch(SlurmError)
export class SlurmErrorFilter implements ExceptionFilter<SlurmError> {
  private readonly logger = new Logger(SlurmErrorFilter.name);

  catch(error: SlurmError, host: ArgumentsHost): void {
    const { status, message, error: title } = slurmErrorResponse(error);
    if (status >= 500) this.logger.warn(`${title}: ${error.message}`);
    host
      .switchToHttp()
      .getResponse<Response>()
      .status(status)
      .json({ statusCode: status, error: title, message });
  }
}
