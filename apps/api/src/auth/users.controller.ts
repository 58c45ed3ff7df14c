// Local accounts, for administrators (AUTH_MODE=local).
import { Body, Controller, Get, Post, UsePipes, ValidationPipe } from '@nestjs/common';
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
import { LocalAccountsDisabledError } from './auth-errors';
import { AdminOnly } from './auth.decorators';
import { AuthService, SESSION_COOKIE_NAME } from './auth.service';
import { CreateUserDto } from './dto/create-user.dto';
import { UserDto } from './dto/user.dto';
import { UserService } from './user.service';

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

  private requireLocalAccounts(): void {
    if (this.auth.mode !== 'local') throw new LocalAccountsDisabledError();
  }
}
