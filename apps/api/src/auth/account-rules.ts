// What a local account may look like. The user name is also the user's Unix account (jobs run via
// `sudo -n -u <username> sbatch`), so it must be a POSIX-style account name: nothing a shell, a path
// or sudo could misread.
import { truncates } from 'bcryptjs';

export const USERNAME_PATTERN = /^[a-z_][a-z0-9_-]{0,31}$/;

export const USERNAME_RULE =
  'a Unix account name: lower-case letters, digits, "_" or "-", starting with a letter or "_", at most 32 characters';

/** Unix group names as the access rules and the policy file take them. */
export const GROUP_NAME_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;

export const PASSWORD_MIN_LENGTH = 8;

/** bcrypt reads at most 72 bytes; refusing longer passwords beats silently ignoring their end. */
export const PASSWORD_MAX_BYTES = 72;

export function isValidUsername(value: unknown): value is string {
  return typeof value === 'string' && USERNAME_PATTERN.test(value);
}

export function isValidGroupName(value: unknown): value is string {
  return typeof value === 'string' && GROUP_NAME_PATTERN.test(value);
}

/** What is wrong with a new account, in the words ValidationPipe uses for the same fields; empty when nothing. */
export function accountProblems(username: unknown, password: unknown): string[] {
  const problems: string[] = [];
  if (!isValidUsername(username)) problems.push(`username must be ${USERNAME_RULE}`);
  if (typeof password !== 'string' || password.length < PASSWORD_MIN_LENGTH) {
    problems.push(`password must be at least ${PASSWORD_MIN_LENGTH} characters`);
  } else if (truncates(password)) {
    problems.push(`password must be at most ${PASSWORD_MAX_BYTES} bytes (UTF-8)`);
  }
  return problems;
}
