// GET /api/apps: the launcher's catalog, each app with its form.
import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type ChoiceContext, resolveForm } from '@vizportal/job-templates';
import { SlurmUnavailableError } from '@vizportal/slurm-client';
import { ApiNotLoggedInResponse } from '../auth/api-responses';
import { CatalogService } from './catalog.service';
import { AppResponse, toAppResponse } from './dto/app.response';

@ApiTags('apps')
@Controller('apps')
export class CatalogController {
  constructor(private readonly catalog: CatalogService) {}

  @Get()
  @ApiOperation({
    summary:
      'The apps a user can launch, with their form fields (partitions from the cluster; none while Slurm is unreachable)',
  })
  @ApiOkResponse({ type: [AppResponse] })
  @ApiNotLoggedInResponse()
  async list(): Promise<AppResponse[]> {
    let context: ChoiceContext;
    try {
      context = await this.catalog.choiceContext();
    } catch (error) {
      // The catalog is still worth showing while Slurm is away; launching will say why it can't.
      if (!(error instanceof SlurmUnavailableError)) throw error;
      context = { partitions: [] };
    }
    return this.catalog.apps().map((app) => toAppResponse(app, resolveForm(app, context)));
  }
}
