// Local accounts, for administrators (AUTH_MODE=local).
import { Body, Controller, Get, Param, Patch, Post, UsePipes, ValidationPipe } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { USERNAME_RULE } from './account-rules';
import { ApiFieldErrorsResponse, ApiNotLoggedInResponse } from './api-responses';
import { LocalAccountsDisabledError, SelfLockoutError } from './auth-errors';
import { AdminOnly, CurrentUser } from './auth.decorators';
import type { AuthenticatedUser } from './authenticated-user';
import { AuthService, SESSION_COOKIE_NAME } from './auth.service';
import { CreateUserDto } from './dto/create-user.dto';
import { UserDto } from './dto/user.dto';
import { UpdateUserDto } from './dto/update-user.dto';
import { UserService } from './user.service';
import { Audited } from '../audit/audited.decorator';

@ApiTags('auth')
@ApiCookieAuth(SESSION_COOKIE_NAME)
@ApiNotLoggedInResponse()
@ApiNotFoundResponse({ description: 'AUTH_MODE=header: accounts live with the single sign-on provider.' })
@AdminOnly()
@Controller('users')
@UsePipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true }))
export class UsersController {
  constructor(
    private readonly users: UserService,
    private readonly auth: AuthService,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create a local account (administrators only)' })
  @ApiCreatedResponse({ type: UserDto })
  @ApiFieldErrorsResponse([
    `username must be ${USERNAME_RULE}`,
    'password must be longer than or equal to 8 characters',
  ])
  @ApiConflictResponse({
    description: 'The user name is taken.',
    schema: {
      example: { statusCode: 409, message: 'The user name "bob" is already taken', error: 'Conflict' },
    },
  })
  @Audited('user.create', (req) => ({
    subject: (req.body as { username?: string })?.username ?? null,
    details: { isAdmin: (req.body as { isAdmin?: boolean })?.isAdmin ?? false },
  }))
  async create(@Body() body: CreateUserDto): Promise<UserDto> {
    this.requireLocalAccounts();
    return UserDto.from(await this.users.createUser(body));
  }

  @Get()
  @ApiOperation({ summary: 'List local accounts (administrators only)' })
  @ApiOkResponse({ type: [UserDto] })
  async list(): Promise<UserDto[]> {
    this.requireLocalAccounts();
    return (await this.users.list()).map((user) => UserDto.from(user));
  }

  @Patch(':username')
  @ApiOperation({
    summary: 'Change an account: admin, disabled, groups, quota override (administrators only)',
    description:
      'Disabling an account ends its logins at once; its VNC connections are refused from then on.',
  })
  @ApiOkResponse({ type: UserDto })
  @ApiFieldErrorsResponse(['groups must be Unix group names', 'quotaOverride.cpus must not be less than 0'])
  @ApiNotFoundResponse({
    description: 'No such account.',
    schema: { example: { statusCode: 404, message: 'There is no account "carol"', error: 'Not Found' } },
  })
  @ApiConflictResponse({
    description: 'An administrator may not disable their own account or remove their own admin rights.',
    schema: {
      example: {
        statusCode: 409,
        message:
          'You cannot disable your own account or remove your own administrator rights: ask another administrator.',
        error: 'Conflict',
      },
    },
  })
  @Audited('user.update', (req) => ({
    subject: (req.params as { username?: string }).username ?? null,
    details: { changes: req.body as Record<string, unknown> },
  }))
  async update(
    @Param('username') username: string,
    @Body() body: UpdateUserDto,
    @CurrentUser() me: AuthenticatedUser,
  ): Promise<UserDto> {
    this.requireLocalAccounts();
    if (username === me.username && (body.disabled === true || body.isAdmin === false))
      throw new SelfLockoutError();
    const { quotaOverride, ...rest } = body;
    const user = await this.users.update(username, {
      ...rest,
      ...(quotaOverride === undefined
        ? {}
        : { quotaOverride: quotaOverride === null ? null : { ...quotaOverride } }),
    });
    if (user.disabled) await this.auth.endLoginsOf(user.id);
    return UserDto.from(user);
  }

  private requireLocalAccounts(): void {
    if (this.auth.mode !== 'local') throw new LocalAccountsDisabledError();
  }
}
