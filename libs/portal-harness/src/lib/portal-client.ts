// The few HTTP calls every outside driver of a portal makes: a free loopback port to start it on,
// logging in (the session cookie), JSON requests with that cookie, and accounts created as the admin.
import { createServer } from 'node:net';

export interface Account {
  username: string;
  password: string;
}

/** A portal's base URL (`http://127.0.0.1:3000`), or anything that carries one (a BuiltApi). */
export type Portal = string | { readonly baseUrl: string };

/** The name of the portal's login cookie. */
export const SESSION_COOKIE = 'vizportal_session';

const baseUrlOf = (portal: Portal) => (typeof portal === 'string' ? portal : portal.baseUrl);

/** A TCP port free on this address just now: bound to port 0, read, released. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address?.port
          ? resolvePort(address.port)
          : reject(new Error(`no port bound on ${host}`)),
      );
    });
  });
}

/**
 * The Cookie header value (`vizportal_session=…`) among a response's Set-Cookie headers, without
 * the attributes; undefined when none sets the session cookie.
 */
export function sessionCookieFrom(setCookies: readonly string[]): string | undefined {
  const cookie = setCookies.find((value) => value.trimStart().startsWith(`${SESSION_COOKIE}=`));
  return cookie?.split(';')[0].trim();
}

/** Logs in through the API (POST /api/auth/login, answered 200); returns the Cookie header value. */
export async function login(portal: Portal, account: Account): Promise<string> {
  const response = await fetch(`${baseUrlOf(portal)}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: account.username, password: account.password }),
  });
  if (response.status !== 200)
    throw new Error(`login of ${account.username}: HTTP ${response.status} ${await response.text()}`);
  const cookie = sessionCookieFrom(response.headers.getSetCookie());
  if (!cookie) throw new Error(`login of ${account.username} set no ${SESSION_COOKIE} cookie`);
  return cookie;
}

/** A JSON request with a session cookie; throws on any answer but 2xx; a 204 gives undefined. */
export async function apiJson<T>(
  portal: Portal,
  cookie: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${baseUrlOf(portal)}${path}`, {
    method,
    headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

export interface CreateAccountsOptions {
  /** The password of an account given by name only; by default `<name>-password`. */
  passwordFor?: (username: string) => string;
}

/**
 * Creates portal accounts as the admin (POST /api/users; a 409 for one that exists is fine, so a
 * second run on the same database works when the passwords are the same); returns them.
 */
export async function createAccounts(
  portal: Portal,
  admin: Account,
  users: ReadonlyArray<string | Account>,
  options: CreateAccountsOptions = {},
): Promise<Account[]> {
  const passwordFor = options.passwordFor ?? ((username: string) => `${username}-password`);
  const adminCookie = await login(portal, admin);
  const accounts: Account[] = [];
  for (const user of users) {
    const account = typeof user === 'string' ? { username: user, password: passwordFor(user) } : user;
    const response = await fetch(`${baseUrlOf(portal)}/api/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: adminCookie },
      body: JSON.stringify(account),
    });
    if (response.status !== 201 && response.status !== 409)
      throw new Error(`creating ${account.username}: HTTP ${response.status} ${await response.text()}`);
    await response.body?.cancel();
    accounts.push(account);
  }
  return accounts;
}
