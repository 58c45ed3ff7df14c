// Login, logout and "who am I" (HTTP only; the work is in AuthService).
import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Post,
  Req,
  Res,
  UseGuards,
  UsePipes,
  ValidationPipe,
} from '@nestjs/common';
import {
  ApiCookieAuth,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { Audited } from '../audit/audited.decorator';
import { ApiFieldErrorsResponse, ApiNotLoggedInResponse } from './api-responses';
import { CurrentUser, Public } from './auth.decorators';
import { AuthService, SESSION_COOKIE_NAME } from './auth.service';
import type { AuthenticatedUser } from './authenticated-user';
import { LoginDto } from './dto/login.dto';
import { MeDto } from './dto/me.dto';

export const LOGIN_RATE_LIMIT_MESSAGE =
  'Too many login attempts from your address. Wait a minute, then try again.';

const crossSiteRefused = ApiForbiddenResponse({
  description: 'Sent by a page of another site (Origin does not match Host).',
  schema: { example: { statusCode: 403, message: 'Cross-site request refused', error: 'Forbidden' } },
});
const headerModeNotFound = ApiNotFoundResponse({
  description: 'AUTH_MODE=header: the single sign-on proxy logs users in and out.',
  schema: {
    example: {
      statusCode: 404,
      message: 'This portal signs users in through its single sign-on proxy (AUTH_MODE=header): …',
      error: 'Not Found',
    },
  },
});

@ApiTags('auth')
@Controller('auth')
@UsePipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true }))
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @Public()
  @UseGuards(ThrottlerGuard)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Log in (AUTH_MODE=local)',
    description: `Sets the httpOnly, SameSite=Strict cookie \`${SESSION_COOKIE_NAME}\`.`,
  })
  @ApiOkResponse({ type: MeDto, description: 'Logged in; the cookie is set.' })
  @ApiUnauthorizedResponse({
    description: 'The user name or the password is wrong (the answer does not say which).',
    schema: { example: { statusCode: 401, message: 'Wrong username or password', error: 'Unauthorized' } },
  })
  @ApiFieldErrorsResponse(['password should not be empty'])
  @ApiTooManyRequestsResponse({
    description: 'Too many attempts from this address; LOGIN_RATE_LIMIT_PER_MINUTE per minute.',
    schema: { example: { statusCode: 429, message: LOGIN_RATE_LIMIT_MESSAGE } },
  })
  @headerModeNotFound
  @crossSiteRefused
  @Audited('login', (req) => ({
    actor: String((req.body as { username?: unknown })?.username ?? '').slice(0, 64) || 'anonymous',
  }))
  async login(@Body() body: LoginDto, @Res({ passthrough: true }) res: Response): Promise<MeDto> {
    const { token, expiresAt, user } = await this.auth.login(body.username, body.password);
    res.cookie(SESSION_COOKIE_NAME, token, this.auth.cookieOptions(expiresAt));
    return { ...user, authMode: this.auth.mode };
  }

  /** Public, so that a browser holding an expired cookie can still clear it. */
  @Post('logout')
  @Public()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Log out (AUTH_MODE=local)',
    description: 'Ends the login on the server and clears the cookie.',
  })
  @ApiCookieAuth(SESSION_COOKIE_NAME)
  @ApiNoContentResponse({ description: 'Logged out (also when there was no login).' })
  @headerModeNotFound
  @crossSiteRefused
  @Audited('logout', (_req, username) => ({ actor: typeof username === 'string' ? username : 'anonymous' }))
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<string | undefined> {
    const username = await this.auth.logout(req);
    res.clearCookie(SESSION_COOKIE_NAME, this.auth.cookieOptions());
    // 204 sends no body; the name is returned for the audit log's actor only.
    return username ?? undefined;
  }

  @Get('me')
  @ApiOperation({ summary: 'The logged-in user' })
  @ApiCookieAuth(SESSION_COOKIE_NAME)
  @ApiOkResponse({
    type: MeDto,
    schema: { example: { username: 'alice', isAdmin: false, groups: ['cae-users'], authMode: 'local' } },
  })
  @ApiNotLoggedInResponse()
  me(@CurrentUser() user: AuthenticatedUser): MeDto {
    return { username: user.username, isAdmin: user.isAdmin, groups: user.groups, authMode: this.auth.mode };
  }
}
