// GET /api/cluster: what the launcher offers (partitions, limits, GPUs) and how busy the nodes are.
import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { ApiNotLoggedInResponse } from '../auth/api-responses';
import { ClusterService } from './cluster.service';
import { ClusterResponse, toClusterResponse } from './dto/cluster.response';

@ApiTags('cluster')
@Controller('cluster')
export class ClusterController {
  constructor(private readonly cluster: ClusterService) {}

  @Get()
  @ApiOperation({ summary: 'Partitions with their limits, and nodes with their states (cached briefly)' })
  @ApiOkResponse({ type: ClusterResponse })
  @ApiNotLoggedInResponse()
  @ApiServiceUnavailableResponse({
    description: 'Slurm does not answer.',
    schema: {
      example: {
        statusCode: 503,
        error: 'Slurm Unavailable',
        message: 'Slurm is unreachable: Unable to contact slurm controller',
      },
    },
  })
  async get(): Promise<ClusterResponse> {
    return toClusterResponse(await this.cluster.info());
  }
}
