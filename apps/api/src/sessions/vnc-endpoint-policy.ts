// Which VNC endpoints the portal may dial: a node address matching VNC_HOST_PATTERN and a port in
// VNC_PORT_MIN..VNC_PORT_MAX. One policy for the readiness report (what the job says) and the VNC
// proxy (what Slurm says the node's address is), so the two can never disagree.
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../config/app-config';

@Injectable()
export class VncEndpointPolicy {
  private readonly hostPattern: RegExp;
  readonly ports: { min: number; max: number };

  constructor(config: ConfigService<AppConfig, true>) {
    this.hostPattern = new RegExp(config.get('VNC_HOST_PATTERN', { infer: true }));
    this.ports = {
      min: config.get('VNC_PORT_MIN', { infer: true }),
      max: config.get('VNC_PORT_MAX', { infer: true }),
    };
  }

  /** Why the portal may not dial this host, or null when it may. */
  refuseHost(host: string): string | null {
    return this.hostPattern.test(host) ? null : `node address ${host} is outside VNC_HOST_PATTERN`;
  }

  /** Why the portal may not dial this port, or null when it may. */
  refusePort(port: number): string | null {
    return port >= this.ports.min && port <= this.ports.max
      ? null
      : `port ${port} is outside the VNC port range ${this.ports.min}-${this.ports.max}`;
  }
}
