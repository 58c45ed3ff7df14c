// Swagger answers of every route that names an app (the catalog's, the launch settings'), with the
// bodies AppNotFoundError and AppNotAllowedError really send.
import { ApiForbiddenResponse, ApiNotFoundResponse } from '@nestjs/swagger';

export const ApiAppNotFoundResponse = () =>
  ApiNotFoundResponse({
    description: 'No such app.',
    schema: {
      example: { statusCode: 404, message: 'There is no app "paraveiw" in the catalog', error: 'Not Found' },
    },
  });

export const ApiAppNotAllowedResponse = () =>
  ApiForbiddenResponse({
    description: 'The site limits the app to other groups or users; the message says to whom.',
    schema: {
      example: {
        statusCode: 403,
        message:
          'Abaqus/CAE is limited by your site to members of cae-users. Ask your portal administrator if you need it.',
        error: 'Forbidden',
      },
    },
  });
