// POST /api/internal/sessions/:id/ready: the job's report that its desktop is up. Called by the
// VNC wrapper on the node, with the session's one-time secret; the use case is ReadinessService.
import {
  Body,
  Controller,
  Headers,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  UsePipes,
  ValidationPipe,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators';
import { ReadinessReportDto } from './dto/readiness-report.dto';
import { ReadinessService } from './readiness.service';
import { ReadinessSecretError } from './session-errors';

@ApiTags('internal')
@Controller('internal/sessions')
export class ReadinessController {
  constructor(private readonly readiness: ReadinessService) {}

  @Post(':id/ready')
  @Public()
  @HttpCode(204)
  @UsePipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true }))
  @ApiBearerAuth()
  @ApiOperation({
    summary: "A job's readiness report (called by the job on the node, with the session's one-time secret)",
  })
  @ApiNoContentResponse({ description: 'Taken: the session is running.' })
  @ApiUnauthorizedResponse({ description: 'No secret, a wrong one, or one already used.' })
  @ApiUnprocessableEntityResponse({ description: 'The host or port is not one the portal may dial.' })
  async ready(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers('authorization') authorization: string | undefined,
    @Body() report: ReadinessReportDto,
  ): Promise<void> {
    const secret = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
    if (!secret) throw new ReadinessSecretError('The job must send its session secret');
    await this.readiness.report(id, secret, report);
  }
}
