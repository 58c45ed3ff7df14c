import type { ArgumentsHost } from '@nestjs/common';
import { RequestBodyErrorFilter, RequestBodyErrorType } from './request-body-error.filter';

/** What body-parser (http-errors) throws for a body over its limit. */
function tooLarge(): Error {
  return Object.assign(new Error('request entity too large'), {
    status: 413,
    statusCode: 413,
    expose: true,
    type: 'entity.too.large',
    limit: 102_400,
  });
}

function hostFor(response: { status: jest.Mock; json: jest.Mock }): ArgumentsHost {
  return { switchToHttp: () => ({ getResponse: () => response }) } as unknown as ArgumentsHost;
}

describe('RequestBodyErrorFilter', () => {
  it("matches body-parser's client errors by shape, and nothing else", () => {
    expect(tooLarge()).toBeInstanceOf(RequestBodyErrorType);
    expect(
      Object.assign(new Error('x'), { status: 500, expose: true, type: 'stream.encoding.set' }),
    ).not.toBeInstanceOf(RequestBodyErrorType);
    expect(Object.assign(new Error('x'), { status: 400, type: 'entity.parse.failed' })).not.toBeInstanceOf(
      RequestBodyErrorType,
    );
    expect(new Error('database is locked')).not.toBeInstanceOf(RequestBodyErrorType);
    expect({ status: 413, expose: true, type: 'entity.too.large' }).not.toBeInstanceOf(RequestBodyErrorType);
  });

  it('answers 413 with a sentence naming the limit', () => {
    const response = { status: jest.fn(), json: jest.fn() };
    response.status.mockReturnValue(response);
    new RequestBodyErrorFilter().catch(tooLarge() as never, hostFor(response));
    expect(response.status).toHaveBeenCalledWith(413);
    expect(response.json).toHaveBeenCalledWith({
      statusCode: 413,
      error: 'Payload Too Large',
      message: 'The request body is too large (at most 100 kB)',
    });
  });
});
