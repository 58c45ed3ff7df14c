// GET /api/metrics: the Prometheus text exposition. Not behind the login: Prometheus scrapes it,
// optionally with METRICS_TOKEN as a bearer token; METRICS_ENABLED=false hides it (404).
import { Controller, Get, Headers, NotFoundException, Res, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/auth.decorators';
import type { AppConfig } from '../config/app-config';
import { metricsAccessAllowed } from './metrics-access';
import { VizportalMetrics } from './vizportal-metrics';

export const METRICS_BEARER_AUTH = 'metrics-token';

@ApiTags('metrics')
@Controller('metrics')
export class MetricsController {
  private readonly enabled: boolean;
  private readonly token: string;

  constructor(
    private readonly metrics: VizportalMetrics,
    config: ConfigService<AppConfig, true>,
  ) {
    this.enabled = config.get('METRICS_ENABLED', { infer: true });
    this.token = config.get('METRICS_TOKEN', { infer: true });
  }

  @Get()
  @Public()
  @ApiBearerAuth(METRICS_BEARER_AUTH)
  @ApiProduces('text/plain')
  @ApiOperation({
    summary:
      'Prometheus metrics: sessions by state, poller ticks, Slurm commands, VNC proxy, HTTP requests, process',
    description:
      'No portal login. Public when METRICS_TOKEN is empty; otherwise send `Authorization: Bearer <METRICS_TOKEN>`. ' +
      'Answers 404 when METRICS_ENABLED=false.',
  })
  @ApiOkResponse({ description: 'Prometheus text exposition format 0.0.4.', schema: { type: 'string' } })
  @ApiUnauthorizedResponse({ description: 'METRICS_TOKEN is set and the request did not bear it.' })
  @ApiNotFoundResponse({ description: 'METRICS_ENABLED=false.' })
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res() response: Response,
  ): Promise<void> {
    if (!this.enabled) throw new NotFoundException('Metrics are disabled (METRICS_ENABLED=false)');
    if (!metricsAccessAllowed(this.token, authorization))
      throw new UnauthorizedException('The metrics token is missing or wrong');
    const text = await this.metrics.render();
    // Written as is: Express's send() would re-format the content type Prometheus expects.
    response.status(200).setHeader('Content-Type', this.metrics.contentType);
    response.end(text);
  }
}
