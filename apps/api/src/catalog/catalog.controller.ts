// GET /api/apps: the launcher's catalog, each app with its form.
import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { resolveForm } from '@vizportal/job-templates';
import { ApiNotLoggedInResponse } from '../auth/api-responses';
import { ApiAppNotAllowedResponse, ApiAppNotFoundResponse } from './api-responses';
import { CurrentUser } from '../auth/auth.decorators';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CatalogService } from './catalog.service';
import { AppResponse, toAppResponse } from './dto/app.response';

@ApiTags('apps')
@Controller('apps')
export class CatalogController {
  constructor(private readonly catalog: CatalogService) {}

  @Get()
  @ApiOperation({
    summary:
      'The apps this user may launch, with their form fields (partitions from the cluster, only those the site lets the user use; none while Slurm is unreachable)',
  })
  @ApiOkResponse({ type: [AppResponse] })
  @ApiNotLoggedInResponse()
  async list(@CurrentUser() user: AuthenticatedUser): Promise<AppResponse[]> {
    const context = await this.catalog.formContextFor(user);
    return this.catalog.appsFor(user).map((app) => toAppResponse(app, resolveForm(app, context)));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One app with its form, if this user may launch it' })
  @ApiOkResponse({ type: AppResponse })
  @ApiAppNotFoundResponse()
  @ApiAppNotAllowedResponse()
  @ApiNotLoggedInResponse()
  async get(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string): Promise<AppResponse> {
    const app = this.catalog.appFor(user, id);
    return toAppResponse(app, resolveForm(app, await this.catalog.formContextFor(user)));
  }
}
