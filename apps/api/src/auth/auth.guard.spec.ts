import type { IncomingMessage } from 'node:http';
import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { WsException } from '@nestjs/websockets';
import { AdminOnly, Public } from './auth.decorators';
import { AuthGuard } from './auth.guard';
import type { AuditService } from '../audit/audit.service';
import type { AuthService } from './auth.service';
import type { AuthenticatedUser } from './authenticated-user';

class Gateway {
  open(): string {
    return 'open';
  }
  @Public() publicEvent(): string {
    return 'public';
  }
  @AdminOnly() adminEvent(): string {
    return 'admin';
  }
}

/** A Socket.IO handler invocation, as Nest hands it to a guard. */
function socketContext(handler: keyof Gateway, client: object): ExecutionContext {
  return {
    getType: () => 'ws',
    getHandler: () => Gateway.prototype[handler],
    getClass: () => Gateway,
    switchToWs: () => ({ getClient: () => client }),
  } as unknown as ExecutionContext;
}

describe('AuthGuard on Socket.IO handlers', () => {
  const alice: AuthenticatedUser = { username: 'alice', isAdmin: false, groups: [] };
  const handshake = { headers: { cookie: 'vizportal_session=abc' } } as unknown as IncomingMessage;
  let authenticateRequest: jest.Mock;
  let guard: AuthGuard;

  beforeEach(() => {
    authenticateRequest = jest.fn();
    guard = new AuthGuard(
      new Reflector(),
      { authenticateRequest } as unknown as AuthService,
      {
        record: async () => undefined,
      } as unknown as AuditService,
    );
  });

  it('uses the user the gateway stored at the handshake', async () => {
    await expect(guard.canActivate(socketContext('open', { data: { user: alice } }))).resolves.toBe(true);
    expect(authenticateRequest).not.toHaveBeenCalled();
  });

  it('otherwise authenticates the handshake request, and refuses with "Log in first" when that fails', async () => {
    authenticateRequest.mockResolvedValueOnce(alice).mockResolvedValueOnce(null);
    await expect(guard.canActivate(socketContext('open', { request: handshake, data: {} }))).resolves.toBe(
      true,
    );
    expect(authenticateRequest).toHaveBeenCalledWith(handshake);
    await expect(guard.canActivate(socketContext('open', { request: handshake }))).rejects.toEqual(
      new WsException('Log in first'),
    );
    await expect(guard.canActivate(socketContext('open', {}))).rejects.toBeInstanceOf(WsException);
  });

  it('lets @Public handlers through and keeps @AdminOnly ones for administrators', async () => {
    await expect(guard.canActivate(socketContext('publicEvent', {}))).resolves.toBe(true);
    await expect(guard.canActivate(socketContext('adminEvent', { data: { user: alice } }))).rejects.toEqual(
      new WsException('Only an administrator may do this'),
    );
    await expect(
      guard.canActivate(
        socketContext('adminEvent', { data: { user: { ...alice, isAdmin: true, groups: [] } } }),
      ),
    ).resolves.toBe(true);
  });
});
