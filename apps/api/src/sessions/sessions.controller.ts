// REST for sessions: launch, list (every live one, the ended ones a page at a time), read, stop,
// delete, relaunch, extend, keep (from an idle stop), connect, and the output log.
// Every route acts for the logged-in user on their own sessions (admins: all).
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  UsePipes,
  ValidationPipe,
} from '@nestjs/common';
import {
  ApiBadGatewayResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Audited } from '../audit/audited.decorator';
import { ApiNotLoggedInResponse } from '../auth/api-responses';
import { CurrentUser } from '../auth/auth.decorators';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { ConnectResponse, LogResponse } from './dto/connect.response';
import { CreateSessionDto } from './dto/create-session.dto';
import { ExtendSessionDto } from './dto/extend-session.dto';
import { ListSessionsQuery, SESSION_PAGE_DEFAULT_LIMIT } from './dto/list-sessions.query';
import { SessionListResponse } from './dto/session-list.response';
import { SessionResponse } from './dto/session.response';
import { decodeSessionCursor, encodeSessionCursor } from './session-cursor';
import {
  describeConnect,
  describeExtend,
  describeLaunch,
  describeRelaunch,
  describeSessionChange,
} from './session-audit';
import { SessionExtender } from './session-extender';
import { SessionPresenter } from './session-presenter';
import { SessionService } from './session.service';

const NOT_FOUND = {
  description: 'No such session of yours.',
  schema: { example: { statusCode: 404, message: 'No such session', error: 'Not Found' } },
};
const SLURM_DOWN = {
  description: 'Slurm does not answer; try again shortly.',
  schema: {
    example: {
      statusCode: 503,
      error: 'Slurm Unavailable',
      message: 'Slurm is unreachable: Unable to contact slurm controller',
    },
  },
};

@ApiTags('sessions')
@ApiNotLoggedInResponse()
@Controller('sessions')
@UsePipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true }))
export class SessionsController {
  constructor(
    private readonly sessions: SessionService,
    private readonly extender: SessionExtender,
    private readonly presenter: SessionPresenter,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Launch an app: validates the answers, renders the job script and submits it to Slurm',
  })
  @ApiCreatedResponse({
    type: SessionResponse,
    description: 'Submitted (queued), or still submitting if sbatch did not answer in time.',
  })
  @ApiBadRequestResponse({
    description: 'Unknown app, or answers that break the form: one message per field.',
    schema: {
      example: {
        statusCode: 400,
        error: 'Bad Request',
        message: ['cpus: must be at most 4'],
        fields: [{ field: 'cpus', message: 'must be at most 4' }],
      },
    },
  })
  @ApiUnprocessableEntityResponse({
    description:
      'Slurm refused the job: its message. The session is kept, as failed, and returned in `session`.',
    schema: {
      example: {
        statusCode: 422,
        error: 'Rejected by Slurm',
        message: 'Requested time limit is invalid (missing or exceeds some limit)',
        session: {},
      },
    },
  })
  @ApiForbiddenResponse({
    description:
      'The site limits the app, or the chosen partition, to other groups or users; the message says to whom.',
    schema: {
      example: {
        statusCode: 403,
        error: 'Forbidden',
        message:
          'The partition "gpu" is limited by your site to members of gpu-users. Choose another partition, or ask your portal administrator.',
      },
    },
  })
  @ApiConflictResponse({
    description:
      "The launch would go over one of the user's quotas (GET /api/quotas/mine): the message names the limit, the use and what to do. Nothing is submitted.",
    schema: {
      example: {
        statusCode: 409,
        error: 'Quota Exceeded',
        message: 'You have 3 sessions running or waiting; the limit is 3. Stop one to start another.',
        quota: { name: 'liveSessions', used: 3, limit: 3 },
      },
    },
  })
  @ApiServiceUnavailableResponse(SLURM_DOWN)
  @Audited('session.launch', describeLaunch)
  async launch(
    @CurrentUser() user: AuthenticatedUser,
    @Body() body: CreateSessionDto,
  ): Promise<SessionResponse> {
    return this.presenter.dto(await this.sessions.launch(user, body.appId, body.values));
  }

  @Get()
  @ApiOperation({
    summary:
      'Your sessions, newest first (an admin sees everyone’s): every live one, and the ended ones a page at a time',
    description:
      'Without `before`: every live session (submitting, queued, starting, running; never paged) and the `limit` most recent ended ones. ' +
      'For older ended sessions, call again with `before` set to the `nextBefore` of the page before; it is null on the last page.',
  })
  @ApiOkResponse({ type: SessionListResponse })
  @ApiBadRequestResponse({
    description: 'A `limit` or `before` that is not one of the values described.',
    schema: {
      example: {
        statusCode: 400,
        error: 'Bad Request',
        message: ['limit must be a whole number from 1 to 100'],
      },
    },
  })
  async list(
    @CurrentUser() user: AuthenticatedUser,
    // transform: the query's strings become the DTO's numbers (the class-level pipe only validates).
    @Query(new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true }))
    query: ListSessionsQuery,
  ): Promise<SessionListResponse> {
    const now = new Date();
    const page = await this.sessions.list(user, {
      limit: query.limit ?? SESSION_PAGE_DEFAULT_LIMIT,
      before: query.before === undefined ? null : decodeSessionCursor(query.before),
    });
    return {
      sessions: page.sessions.map((session) => this.presenter.dto(session, now)),
      nextBefore: page.next ? encodeSessionCursor(page.next) : null,
    };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One session, exactly as the socket sends it' })
  @ApiOkResponse({ type: SessionResponse })
  @ApiNotFoundResponse(NOT_FOUND)
  async get(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<SessionResponse> {
    return this.presenter.dto(await this.sessions.get(user, id));
  }

  @Post(':id/stop')
  @HttpCode(200)
  @ApiOperation({ summary: 'Stop (scancel) a live session; it stays in the list as cancelled' })
  @ApiOkResponse({ type: SessionResponse })
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiServiceUnavailableResponse(SLURM_DOWN)
  @Audited('session.stop', describeSessionChange)
  async stop(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<SessionResponse> {
    return this.presenter.dto(await this.sessions.stop(user, id));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Stop the session if it is live, then remove it and its staging folder' })
  @ApiNoContentResponse({ description: 'Removed.' })
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiServiceUnavailableResponse(SLURM_DOWN)
  @Audited('session.delete', describeSessionChange)
  async remove(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<void> {
    await this.sessions.remove(user, id);
  }

  @Post(':id/relaunch')
  @ApiOperation({
    summary: 'Stop the session if live, and launch a new one of the same app with the same answers',
  })
  @ApiCreatedResponse({ type: SessionResponse })
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiServiceUnavailableResponse(SLURM_DOWN)
  @Audited('session.relaunch', describeRelaunch)
  async relaunch(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<SessionResponse> {
    return this.presenter.dto(await this.sessions.relaunch(user, id));
  }

  @Post(':id/keep')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Keep a running session from being stopped as idle',
    description:
      "Starts the session's idle clocks again (the site's limits for a session without a connection or without input, " +
      'SITE_POLICY_FILE `idle`) and withdraws a warning given (`idleStop` becomes null). The socket sends the session too.',
  })
  @ApiOkResponse({ type: SessionResponse })
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiConflictResponse({
    description: 'The session is not running.',
    schema: {
      example: {
        statusCode: 409,
        error: 'Conflict',
        message: 'The desktop is not ready: the session is queued',
      },
    },
  })
  @Audited('session.keep', describeSessionChange)
  async keep(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<SessionResponse> {
    return this.presenter.dto(await this.sessions.keep(user, id));
  }

  @Post(':id/extend')
  @HttpCode(200)
  @ApiOperation({
    summary: "Give a running session more time (Slurm's scontrol update TimeLimit=)",
    description:
      "At most up to the partition's MaxTime, and at most SESSION_EXTEND_MAX_HOURS added to one session in all. " +
      'The session comes back with its new `timeLimitMinutes` and `timeLeftMinutes`, and the socket sends it too.',
  })
  @ApiOkResponse({ type: SessionResponse })
  @ApiBadRequestResponse({
    description: '`minutes` is not a whole number from 1 to 10080.',
    schema: { example: { statusCode: 400, error: 'Bad Request', message: ['minutes must be at least 1'] } },
  })
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiConflictResponse({
    description:
      "Not running, or the new limit would pass the partition's MaxTime or the site's limit: the message says how much more is possible.",
    schema: {
      example: {
        statusCode: 409,
        error: 'Cannot Extend',
        message: 'Its partition allows at most 8 h; this session has 7 h 30 min, so 30 min more at most.',
      },
    },
  })
  @ApiBadGatewayResponse({
    description:
      "Slurm refused the portal's account the change: it is not a Slurm operator (see the admin guide).",
  })
  @ApiServiceUnavailableResponse(SLURM_DOWN)
  @Audited('session.extend', describeExtend)
  async extend(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ExtendSessionDto,
  ): Promise<SessionResponse> {
    return this.presenter.dto(await this.extender.extend(user, id, body.minutes));
  }

  @Post(':id/connect')
  @HttpCode(200)
  @ApiOperation({
    summary: 'A short-lived, single-use token for the VNC WebSocket at /api/sessions/:id/vnc?token=…',
  })
  @ApiOkResponse({ type: ConnectResponse })
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiConflictResponse({ description: 'The desktop is not running (yet, or any more).' })
  @ApiTooManyRequestsResponse({
    description:
      'The desktop has VNC_MAX_CONNECTIONS_PER_SESSION connections open, or the user VNC_MAX_CONNECTIONS_PER_USER.',
  })
  @Audited('session.connect', describeConnect)
  async connect(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<ConnectResponse> {
    const grant = await this.sessions.connect(user, id);
    return { ...grant, expiresAt: grant.expiresAt.toISOString() };
  }

  @Get(':id/log')
  @ApiOperation({ summary: "The end of the session's output log" })
  @ApiOkResponse({ type: LogResponse })
  @ApiNotFoundResponse(NOT_FOUND)
  async log(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<LogResponse> {
    return this.sessions.log(user, id);
  }
}
