// Who is making a request: one code path for REST (AuthGuard), the Socket.IO handshake and the VNC
// WebSocket upgrade, all of which hand in the raw IncomingMessage. Also login and logout (local mode).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import cookieParser from 'cookie-parser';
import type { CookieOptions, Request, Response } from 'express';
import { LessThan, Repository } from 'typeorm';
import { AUTH_CONFIG, type AuthConfig } from './auth-config';
import {
  AccountDisabledError,
  LocalAccountsDisabledError,
  NotLoggedInError,
  WrongCredentialsError,
} from './auth-errors';
import type { AuthenticatedUser } from './authenticated-user';
import { LoginSessionEntity } from './entities/login-session.entity';
import { TrustedProxies } from './trusted-proxies';
import { SystemGroups } from './system-groups';
import { UserService } from './user.service';
import { isValidGroupName, isValidUsername } from './account-rules';

export const SESSION_COOKIE_NAME = 'vizportal_session';

/** lastSeenAt is refreshed at most this often, so a busy page does not write on every request. */
const LAST_SEEN_RESOLUTION_MS = 60_000;

/** Either a user, or why there is none (the text for the 401). */
export type AuthOutcome = { user: AuthenticatedUser; problem?: undefined } | { user: null; problem: string };

export interface Login {
  /** The cookie's value; only its hash is stored. */
  token: string;
  expiresAt: Date;
  user: AuthenticatedUser;
}

// The same parser main.ts installs; run here too because a WebSocket upgrade never passes Express.
const parseCookies = cookieParser();

@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);
  private readonly trustedProxies: TrustedProxies;
  private readonly userHeader: string;
  private readonly groupsHeader: string;
  private readonly adminUsers: ReadonlySet<string>;

  constructor(
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
    private readonly users: UserService,
    @InjectRepository(LoginSessionEntity) private readonly loginSessions: Repository<LoginSessionEntity>,
    private readonly systemGroups: SystemGroups,
  ) {
    this.trustedProxies = new TrustedProxies(config.AUTH_TRUSTED_PROXIES);
    this.userHeader = config.AUTH_HEADER.toLowerCase();
    this.groupsHeader = config.AUTH_GROUPS_HEADER.toLowerCase();
    this.adminUsers = new Set(config.AUTH_ADMIN_USERS);
  }

  get mode(): AuthConfig['AUTH_MODE'] {
    return this.config.AUTH_MODE;
  }

  /** The client's address: behind a trusted proxy, the one its X-Forwarded-For names. For the audit log. */
  clientAddress(req: IncomingMessage): string | null {
    return (
      this.trustedProxies.clientAddress(req.socket?.remoteAddress, req.headers['x-forwarded-for']) ?? null
    );
  }

  /** Ends every login of an account (it was disabled). */
  async endLoginsOf(userId: string): Promise<void> {
    await this.loginSessions.delete({ userId });
  }

  /** The user a raw request belongs to, or null. For the Socket.IO gateway and the VNC upgrade. */
  async authenticateRequest(req: IncomingMessage): Promise<AuthenticatedUser | null> {
    return (await this.identify(req)).user;
  }

  /** As authenticateRequest, with the reason when there is no user. */
  identify(req: IncomingMessage, now = new Date()): Promise<AuthOutcome> {
    return this.config.AUTH_MODE === 'header' ? this.identifyByHeader(req) : this.identifyByCookie(req, now);
  }

  /** Throws WrongCredentialsError (401) whichever of the two was wrong. */
  async login(username: string, password: string, now = new Date()): Promise<Login> {
    if (this.config.AUTH_MODE !== 'local') throw new LocalAccountsDisabledError();
    const user = await this.users.checkPassword(username, password);
    if (!user) throw new WrongCredentialsError();
    // Said only to someone who knew the password, so it reveals nothing to a guesser.
    if (user.disabled) throw new AccountDisabledError();
    await this.loginSessions.delete({ expiresAt: LessThan(now) });
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + this.config.LOGIN_SESSION_TTL_HOURS * 3_600_000);
    await this.loginSessions.insert({
      id: randomUUID(),
      tokenHash: hashToken(token),
      userId: user.id,
      createdAt: now,
      expiresAt,
      lastSeenAt: now,
    });
    this.logger.log(`User "${user.username}" logged in`);
    return { token, expiresAt, user: await this.withGroups(user.username, user.isAdmin, user.groups) };
  }

  /** Ends the login the request's cookie belongs to, if any; answers whose it was. */
  async logout(req: IncomingMessage): Promise<string | null> {
    if (this.config.AUTH_MODE !== 'local') throw new LocalAccountsDisabledError();
    const token = sessionToken(req);
    if (!token) return null;
    const session = await this.loginSessions.findOne({
      where: { tokenHash: hashToken(token) },
      relations: { user: true },
    });
    if (!session) return null;
    await this.loginSessions.delete({ id: session.id });
    return session.user?.username ?? null;
  }

  /** Attributes of the login cookie; the same ones must be given to clear it. */
  cookieOptions(expiresAt?: Date): CookieOptions {
    return {
      httpOnly: true,
      sameSite: 'strict',
      secure: this.config.SESSION_COOKIE_SECURE,
      path: '/',
      ...(expiresAt ? { expires: expiresAt } : {}),
    };
  }

  private async identifyByCookie(req: IncomingMessage, now: Date): Promise<AuthOutcome> {
    const token = sessionToken(req);
    if (!token) return { user: null, problem: new NotLoggedInError().message };
    const session = await this.loginSessions.findOne({
      where: { tokenHash: hashToken(token) },
      relations: { user: true },
    });
    if (!session?.user) return { user: null, problem: 'Log in first: your login has ended' };
    if (session.user.disabled) {
      await this.loginSessions.delete({ id: session.id });
      return { user: null, problem: new AccountDisabledError().message };
    }
    if (session.expiresAt.getTime() <= now.getTime()) {
      await this.loginSessions.delete({ id: session.id });
      return { user: null, problem: 'Log in first: your login has expired' };
    }
    if (now.getTime() - session.lastSeenAt.getTime() >= LAST_SEEN_RESOLUTION_MS) {
      await this.loginSessions.update({ id: session.id }, { lastSeenAt: now });
    }
    return { user: await this.withGroups(session.user.username, session.user.isAdmin, session.user.groups) };
  }

  /**
   * A user as the portal knows them without a request of theirs (an administrator relaunching their
   * session): the groups an admin gave their account and, when jobs run as their owners, the
   * system's. A sign-in proxy's group header is known only on the user's own requests.
   */
  async accountOf(username: string): Promise<AuthenticatedUser> {
    const account = await this.users.findByUsername(username);
    return this.withGroups(
      username,
      account?.isAdmin ?? this.adminUsers.has(username),
      account?.groups ?? [],
    );
  }

  /** The user with the given groups and, when jobs run as their owners, the account's own. */
  private async withGroups(
    username: string,
    isAdmin: boolean,
    given: readonly string[],
  ): Promise<AuthenticatedUser> {
    const system = await this.systemGroups.of(username);
    return { username, isAdmin, groups: system.length === 0 ? given : [...new Set([...given, ...system])] };
  }

  private async identifyByHeader(req: IncomingMessage): Promise<AuthOutcome> {
    const value = req.headers[this.userHeader];
    if (value === undefined)
      return { user: null, problem: 'Log in first: the sign-in proxy did not say who you are' };
    const remoteAddress = req.socket?.remoteAddress;
    if (!this.trustedProxies.includes(remoteAddress)) {
      // Someone bypassing the proxy, or AUTH_TRUSTED_PROXIES not naming it. The value is not logged: it is attacker-chosen.
      this.logger.warn(
        `Ignored the ${this.config.AUTH_HEADER} header from ${remoteAddress ?? 'an unknown address'}, which is not in AUTH_TRUSTED_PROXIES`,
      );
      return { user: null, problem: new NotLoggedInError().message };
    }
    if (!isValidUsername(value)) {
      return {
        user: null,
        problem: 'Log in first: the sign-in proxy sent a user name that is not a valid account name',
      };
    }
    return { user: await this.withGroups(value, this.adminUsers.has(value), this.headerGroups(req)) };
  }

  /** AUTH_GROUPS_HEADER's groups; names that are not group names are dropped, not trusted. */
  private headerGroups(req: IncomingMessage): string[] {
    if (!this.groupsHeader) return [];
    const value = req.headers[this.groupsHeader];
    const text = Array.isArray(value) ? value.join(',') : (value ?? '');
    return text.split(/[\s,;]+/).filter(isValidGroupName);
  }
}

/** Only this digest is stored: a leaked table cannot be turned back into working cookies. */
function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function sessionToken(req: IncomingMessage): string | undefined {
  const parsed = req as IncomingMessage & { cookies?: Record<string, unknown> };
  if (!parsed.cookies) parseCookies(req as Request, {} as Response, () => undefined);
  const token = parsed.cookies?.[SESSION_COOKIE_NAME];
  return typeof token === 'string' && token !== '' ? token : undefined;
}
