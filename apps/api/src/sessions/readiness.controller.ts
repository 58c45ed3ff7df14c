// POST /api/internal/sessions/:id/ready: the job's report that its desktop is up. Called by the
// VNC wrapper on the node, with the session's one-time secret (stored only as a hash, consumed
// on first use); the host must match VNC_HOST_PATTERN and the port the VNC range.
import { Body, Controller, Headers, HttpCode, Param, ParseUUIDPipe, Post, UnauthorizedException, UnprocessableEntityException, UsePipes, ValidationPipe } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiBearerAuth, ApiNoContentResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators';
import { ClusterService } from '../cluster/cluster.service';
import type { AppConfig } from '../config/app-config';
import { ReadinessReportDto } from './dto/readiness-report.dto';
import { SessionRepository } from './session.repository';
import { SessionService, sha256 } from './session.service';

@ApiTags('internal')
@Controller('internal/sessions')
export class ReadinessController {
  private readonly hostPattern: RegExp;
  private readonly portRange: { min: number; max: number };

  constructor(
    private readonly sessions: SessionRepository,
    private readonly service: SessionService,
    private readonly cluster: ClusterService,
    config: ConfigService<AppConfig, true>,
  ) {
    this.hostPattern = new RegExp(config.get('VNC_HOST_PATTERN', { infer: true }));
    this.portRange = { min: config.get('VNC_PORT_MIN', { infer: true }), max: config.get('VNC_PORT_MAX', { infer: true }) };
  }

  @Post(':id/ready')
  @Public()
  @HttpCode(204)
  @UsePipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true }))
  @ApiBearerAuth()
  @ApiOperation({ summary: "A job's readiness report (called by the job on the node, with the session's one-time secret)" })
  @ApiNoContentResponse({ description: 'Taken: the session is running.' })
  @ApiUnauthorizedResponse({ description: 'No secret, a wrong one, or one already used.' })
  @ApiUnprocessableEntityResponse({ description: 'The host or port is not one the portal may dial.' })
  async ready(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers('authorization') authorization: string | undefined,
    @Body() report: ReadinessReportDto,
  ): Promise<void> {
    const secret = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
    if (!secret) throw new UnauthorizedException('The job must send its session secret');
    // Checked before the secret is spent, so a job that sends a bad report can still send a good one.
    if (!this.hostPattern.test(report.host)) throw new UnprocessableEntityException(`host ${report.host} is not a node the portal may reach`);
    if (report.port < this.portRange.min || report.port > this.portRange.max) {
      throw new UnprocessableEntityException(`port ${report.port} is outside ${this.portRange.min}-${this.portRange.max}`);
    }
    if (!(await this.sessions.consumeReadinessSecretHash(id, sha256(secret)))) {
      throw new UnauthorizedException('Unknown session, wrong secret, or a secret already used');
    }
    // The owner's VNC WebSocket follows within a second, and the proxy dials the address Slurm gives
    // for the node (ClusterService, cached for CLUSTER_CACHE_MS): ask Slurm now, while nobody waits,
    // rather than on that connection's path (scontrol and sinfo: tens of ms, more on a busy host).
    void this.cluster.info().catch(() => undefined);
    const session = await this.sessions.findById(id);
    if (!session) throw new UnauthorizedException('Unknown session, wrong secret, or a secret already used');
    await this.sessions.setVncPassword(id, report.password);
    await this.service.learnNode(session);
    await this.service.observe(session, { kind: 'readiness', at: new Date(), port: report.port, display: report.display });
  }
}
