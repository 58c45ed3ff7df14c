// Express's body parser fails a request before any controller runs: a body over the size limit
// (413), an unsupported charset or encoding (415), a body cut short (400). Those are the client's
// doing, so they get the usual JSON answer with a sentence, and no error line with a stack trace
// (Nest's default handler logs every error it does not know as a server fault).
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpStatus } from '@nestjs/common';
import type { Response } from 'express';

/** The shape of body-parser's errors (http-errors): a client status, marked safe to show, with a type. */
export interface RequestBodyError extends Error {
  status: number;
  type: string;
  expose: true;
  limit?: number;
}

/** Matches body-parser's errors by shape: their classes are internal to the http-errors package. */
export class RequestBodyErrorType {
  static [Symbol.hasInstance](value: unknown): value is RequestBodyError {
    if (!(value instanceof Error)) return false;
    const candidate = value as Partial<RequestBodyError>;
    return (
      candidate.expose === true &&
      typeof candidate.type === 'string' &&
      typeof candidate.status === 'number' &&
      candidate.status >= 400 &&
      candidate.status < 500
    );
  }
}

const TITLES: Record<number, string> = {
  [HttpStatus.BAD_REQUEST]: 'Bad Request',
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'Payload Too Large',
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: 'Unsupported Media Type',
};

export function requestBodyErrorMessage(error: RequestBodyError): string {
  if (error.type === 'entity.too.large') {
    const limit = error.limit === undefined ? '' : ` (at most ${Math.floor(error.limit / 1024)} kB)`;
    return `The request body is too large${limit}`;
  }
  // json-body.ts's own refusal is already a sentence.
  if (error.type === 'entity.too.deep') return error.message;
  return `The request body could not be read: ${error.message}`;
}

@Catch(RequestBodyErrorType)
export class RequestBodyErrorFilter implements ExceptionFilter<RequestBodyError> {
  catch(error: RequestBodyError, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const status = error.status;
    response.status(status).json({
      statusCode: status,
      error: TITLES[status] ?? 'Bad Request',
      message: requestBodyErrorMessage(error),
    });
  }
}
