// GET /api/health: is the portal usable? 200 when the database and Slurm answer, 503 (with the
// same report) when either does not. Public, for load balancers and the status page.
import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { Public } from '../auth/auth.decorators';
import { DatabaseHealthIndicator } from '../database/database.health';
import { HealthReportResponse } from './dto/health.response';
import { SlurmHealthIndicator } from './slurm.health';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: DatabaseHealthIndicator,
    private readonly slurm: SlurmHealthIndicator,
  ) {}

  @Get()
  @Public()
  // Terminus would document a generic report; ours names the two indicators and their fields.
  // Any options replace all the defaults, so noCache is given again.
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOperation({
    summary: "The database and Slurm: reachable or not, Slurm's partitions and nodes with their states",
  })
  @ApiOkResponse({ type: HealthReportResponse, description: 'The database and Slurm are up' })
  @ApiServiceUnavailableResponse({
    type: HealthReportResponse,
    description: 'The database or Slurm is down: the same report',
  })
  check(): Promise<HealthCheckResult> {
    return this.health.check([() => this.database.check('database'), () => this.slurm.check('slurm')]);
  }
}
