// The authenticated WebSocket-to-VNC bridge (see vnc-proxy.ts).
import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ClusterModule } from '../cluster/cluster.module';
import { SessionsModule } from '../sessions/sessions.module';
import { VncProxy } from './vnc-proxy';

@Module({
  imports: [AuthModule, ClusterModule, SessionsModule],
  providers: [VncProxy],
})
export class VncProxyModule {}
