// Sessions: REST, persistence, the poller, the socket gateway and the job's readiness callback.
import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { CatalogModule } from '../catalog/catalog.module';
import { ClusterModule } from '../cluster/cluster.module';
import { ConnectTokenService } from '../vnc-proxy/connect-token.service';
import { SessionEntity } from './entities/session.entity';
import { ReadinessController } from './readiness.controller';
import { SchedulerStatus } from './scheduler-status';
import { SessionPoller } from './session-poller';
import { SessionGateway } from './session.gateway';
import { SessionRepository, TypeOrmSessionRepository } from './session.repository';
import { SessionService } from './session.service';
import { SessionsController } from './sessions.controller';
import { JobAccount } from './job-account';
import { StagingArea } from './staging-area';

@Module({
  imports: [TypeOrmModule.forFeature([SessionEntity]), ScheduleModule.forRoot(), AuthModule, CatalogModule, ClusterModule],
  controllers: [SessionsController, ReadinessController],
  providers: [
    { provide: SessionRepository, useClass: TypeOrmSessionRepository },
    SessionService,
    SessionPoller,
    SessionGateway,
    SchedulerStatus,
    StagingArea,
    JobAccount,
    ConnectTokenService,
  ],
  exports: [SessionRepository, SessionService, SchedulerStatus, ConnectTokenService],
})
export class SessionsModule {}
