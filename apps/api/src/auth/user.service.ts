// Local accounts (AUTH_MODE=local): creating them with a bcrypt hash, seeding, and checking a password.
import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { compare, hash } from 'bcryptjs';
import type { QuotaOverride } from '@vizportal/site-policy';
import { Repository } from 'typeorm';
import { accountProblems, isValidUsername } from './account-rules';
import { AUTH_CONFIG, type AuthConfig } from './auth-config';
import { InvalidAccountError, UnknownAccountError, UsernameTakenError } from './auth-errors';
import { UserEntity } from './entities/user.entity';

/** What an administrator may change on an account; absent fields stay as they are. */
export interface AccountChanges {
  isAdmin?: boolean;
  disabled?: boolean;
  groups?: string[];
  /** null clears the override (the site policy applies). */
  quotaOverride?: QuotaOverride | null;
}

export interface NewUser {
  username: string;
  password: string;
  isAdmin?: boolean;
}

@Injectable()
export class UserService implements OnModuleInit {
  /** Compared against when the user does not exist, so that answer takes as long as a wrong password. */
  private dummyHash?: Promise<string>;

  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
  ) {}

  onModuleInit(): void {
    void this.getDummyHash(); // ready before the first login, so that one is not slower either
  }

  /** Throws InvalidAccountError (400) or UsernameTakenError (409). */
  async createUser({ username, password, isAdmin = false }: NewUser): Promise<UserEntity> {
    const problems = accountProblems(username, password);
    if (problems.length > 0) throw new InvalidAccountError(problems);
    if (await this.users.existsBy({ username })) throw new UsernameTakenError(username);
    const user: UserEntity = {
      id: randomUUID(),
      username,
      passwordHash: await hash(password, this.config.PASSWORD_HASH_COST),
      isAdmin,
      createdAt: new Date(),
      groups: [],
      disabled: false,
      quotaOverride: null,
    };
    try {
      await this.users.insert(user);
    } catch (error) {
      // Another request (or API instance) created the same name in the meantime: the unique index said no.
      if (await this.users.existsBy({ username })) throw new UsernameTakenError(username);
      throw error;
    }
    return user;
  }

  /** For seeding (first admin, demo users): creates the account unless it exists; an existing one is left as it is. */
  async ensureUser(
    username: string,
    password: string,
    isAdmin: boolean,
  ): Promise<{ user: UserEntity; created: boolean }> {
    const existing = await this.findByUsername(username);
    if (existing) return { user: existing, created: false };
    try {
      return { user: await this.createUser({ username, password, isAdmin }), created: true };
    } catch (error) {
      const raced = error instanceof UsernameTakenError ? await this.findByUsername(username) : null;
      if (raced) return { user: raced, created: false };
      throw error;
    }
  }

  /** Throws UnknownAccountError (404). Returns the account as it is now. */
  async update(username: string, changes: AccountChanges): Promise<UserEntity> {
    const user = await this.findByUsername(username);
    if (!user) throw new UnknownAccountError(username);
    const updated: UserEntity = {
      ...user,
      ...(changes.isAdmin === undefined ? {} : { isAdmin: changes.isAdmin }),
      ...(changes.disabled === undefined ? {} : { disabled: changes.disabled }),
      ...(changes.groups === undefined ? {} : { groups: [...new Set(changes.groups)].sort() }),
      ...(changes.quotaOverride === undefined ? {} : { quotaOverride: changes.quotaOverride }),
    };
    await this.users.save(updated);
    return updated;
  }

  findByUsername(username: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ username });
  }

  list(): Promise<UserEntity[]> {
    return this.users.find({ order: { username: 'ASC' } });
  }

  /** The user when the password is right, else null; about as slow for an unknown user as for a known one. */
  async checkPassword(username: string, password: string): Promise<UserEntity | null> {
    const user = isValidUsername(username) ? await this.findByUsername(username) : null;
    const matches = await compare(password, user?.passwordHash ?? (await this.getDummyHash()));
    return user && matches ? user : null;
  }

  private getDummyHash(): Promise<string> {
    this.dummyHash ??= hash(randomUUID(), this.config.PASSWORD_HASH_COST);
    return this.dummyHash;
  }
}
