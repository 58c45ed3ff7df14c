// The auth module's failures, each a typed error that already carries its HTTP answer, so callers
// throw them and Nest's exception layer maps them; the messages are meant for the person at the browser.
import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  NotFoundException,
  UnauthorizedException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';

/** No usable credentials: missing, unknown, revoked or from an untrusted proxy. */
export class NotLoggedInError extends UnauthorizedException {
  constructor(message = 'Log in first') {
    super(message);
  }
}

/** The same answer whether the user name or the password was wrong, so neither can be probed. */
export class WrongCredentialsError extends UnauthorizedException {
  constructor() {
    super('Wrong username or password');
  }
}

export class AdminRequiredError extends ForbiddenException {
  constructor() {
    super('Only an administrator may do this');
  }
}

/** A state-changing request sent by a page of another site (see cross-site-request.ts). */
export class CrossSiteRequestError extends ForbiddenException {
  constructor() {
    super('Cross-site request refused');
  }
}

/** A state-changing request with a form's body type (see isFormPost in cross-site-request.ts). */
export class FormPostRefusedError extends UnsupportedMediaTypeException {
  constructor() {
    super('Send the request body as JSON (Content-Type: application/json): form posts are refused');
  }
}

/** AUTH_MODE=header: accounts, login and logout belong to the sign-in proxy. */
export class LocalAccountsDisabledError extends NotFoundException {
  constructor() {
    super(
      'This portal signs users in through its single sign-on proxy (AUTH_MODE=header): there is no local login, logout or account here. Log out at the proxy.',
    );
  }
}

export class UsernameTakenError extends ConflictException {
  constructor(username: string) {
    super(`The user name "${username}" is already taken`);
  }
}

/** Same shape as ValidationPipe's answer: a list of field messages. */
export class InvalidAccountError extends BadRequestException {
  constructor(messages: string[]) {
    super(messages);
  }
}

/** The password was right, but an administrator has disabled the account. */
export class AccountDisabledError extends ForbiddenException {
  constructor() {
    super('This account is disabled. Ask your portal administrator to enable it.');
  }
}

export class UnknownAccountError extends NotFoundException {
  constructor(username: string) {
    super(`There is no account "${username}"`);
  }
}

/** An administrator would lock themself out: their own account disabled, or their own admin rights removed. */
export class SelfLockoutError extends ConflictException {
  constructor() {
    super(
      'You cannot disable your own account or remove your own administrator rights: ask another administrator.',
    );
  }
}
