// Sessions: REST, persistence, the poller, the socket gateway and the job's readiness callback.
import { Module, type OnModuleInit } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { CatalogModule } from '../catalog/catalog.module';
import { ClusterModule } from '../cluster/cluster.module';
import { LaunchSettingsModule } from '../launch-settings/launch-settings.module';
import { VizportalMetrics } from '../metrics/vizportal-metrics';
import { ConnectTokenService } from './connect-token.service';
import { SessionEntity } from './entities/session.entity';
import { ReadinessController } from './readiness.controller';
import { ReadinessService } from './readiness.service';
import { SchedulerStatus } from './scheduler-status';
import { SessionPoller } from './session-poller';
import { SessionGateway } from './session.gateway';
import { SessionRepository, TypeOrmSessionRepository } from './session.repository';
import { SessionExtender } from './session-extender';
import { SessionObserver } from './session-observer';
import { SessionPresenter } from './session-presenter';
import { SessionService } from './session.service';
import { IdleSessions } from './idle-sessions';
import { SessionsController } from './sessions.controller';
import { QuotaController } from './quota.controller';
import { JobAccount } from './job-account';
import { StagingArea } from './staging-area';
import { VncConnections } from './vnc-connections';
import { VncEndpointPolicy } from './vnc-endpoint-policy';

@Module({
  imports: [
    TypeOrmModule.forFeature([SessionEntity]),
    ScheduleModule.forRoot(),
    AuthModule,
    CatalogModule,
    ClusterModule,
    LaunchSettingsModule,
  ],
  controllers: [SessionsController, QuotaController, ReadinessController],
  providers: [
    { provide: SessionRepository, useClass: TypeOrmSessionRepository },
    SessionService,
    IdleSessions,
    SessionExtender,
    SessionPresenter,
    SessionObserver,
    SessionPoller,
    SessionGateway,
    SchedulerStatus,
    StagingArea,
    JobAccount,
    ConnectTokenService,
    ReadinessService,
    VncEndpointPolicy,
    VncConnections,
  ],
  exports: [
    SessionRepository,
    SessionService,
    IdleSessions,
    SchedulerStatus,
    ConnectTokenService,
    VncEndpointPolicy,
    VncConnections,
  ],
})
export class SessionsModule implements OnModuleInit {
  constructor(
    private readonly metrics: VizportalMetrics,
    private readonly sessions: SessionRepository,
  ) {}

  onModuleInit(): void {
    this.metrics.countSessionsWith(() => this.sessions.countByState());
  }
}
