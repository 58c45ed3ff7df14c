// The app catalog (libs/job-templates manifests from CATALOG_DIR) and GET /api/apps.
import { Module } from '@nestjs/common';
import { ClusterModule } from '../cluster/cluster.module';
import { CatalogController } from './catalog.controller';
import { CatalogService } from './catalog.service';

@Module({
  imports: [ClusterModule],
  controllers: [CatalogController],
  providers: [CatalogService],
  exports: [CatalogService],
})
export class CatalogModule {}
