// Swagger answers shared by the auth controllers, with the bodies Nest really sends.
import { ApiBadRequestResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';

export const ApiNotLoggedInResponse = () =>
  ApiUnauthorizedResponse({
    description: 'No valid login (no cookie, expired or logged out).',
    schema: { example: { statusCode: 401, message: 'Log in first', error: 'Unauthorized' } },
  });

export const ApiFieldErrorsResponse = (example: string[]) =>
  ApiBadRequestResponse({
    description: 'The body is not valid; one message per problem.',
    schema: { example: { statusCode: 400, message: example, error: 'Bad Request' } },
  });
