// The sessions module's failures, each carrying its HTTP answer (as auth-errors.ts does).
import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  HttpException,
  HttpStatus,
  NotFoundException,
  UnauthorizedException,
  UnprocessableEntityException,
} from '@nestjs/common';
import type { FieldError } from '@vizportal/job-templates';
import type { SessionDto } from '@vizportal/session-domain';
import type { QuotaRefusal } from '@vizportal/site-policy';

/** Unknown, or someone else's: the same answer, so ids of others' sessions cannot be probed. */
export class SessionNotFoundError extends NotFoundException {
  constructor() {
    super('No such session');
  }
}

export class UnknownAppError extends BadRequestException {
  constructor(appId: string) {
    super({
      statusCode: 400,
      error: 'Bad Request',
      message: [`appId: there is no app "${appId}" in the catalog`],
      fields: [{ field: 'appId', message: `there is no app "${appId}" in the catalog` }],
    });
  }
}

/** The form answers break the app's rules; one message per field, as a person would read them. */
export class InvalidChoicesError extends BadRequestException {
  constructor(errors: FieldError[]) {
    super({
      statusCode: 400,
      error: 'Bad Request',
      message: errors.map((error) => `${error.field}: ${error.message}`),
      fields: errors,
    });
  }
}

/** A readiness report with no secret, a wrong one, one already used, or for an unknown session: one answer for all. */
export class ReadinessSecretError extends UnauthorizedException {
  constructor(message = 'Unknown session, wrong secret, or a secret already used') {
    super(message);
  }
}

/** A readiness report naming a host or port the portal may not dial (VncEndpointPolicy). */
export class ReadinessRefusedError extends UnprocessableEntityException {
  constructor(reason: string) {
    super(`The portal may not dial this desktop: ${reason}`);
  }
}

/** The job's Unix account does not exist on the cluster (user mode: the owner has none). */
export class NoUnixAccountError extends ForbiddenException {
  constructor(account: string, isOwner: boolean) {
    super(
      isOwner
        ? `There is no Unix account "${account}" on the cluster, and jobs run as their owner's account: an administrator must create it first.`
        : `The portal's job account "${account}" (SLURM_JOB_ACCOUNT) does not exist on this host: an administrator must create it.`,
    );
  }
}

/** The job would run as root (uid 0): never. */
export class RootJobRefusedError extends ForbiddenException {
  constructor(account: string) {
    super(
      `Jobs never run as root, and the Unix account "${account}" is root: launch from an ordinary account.`,
    );
  }
}

/**
 * A file in a session's folder that is not one the job (or the portal) wrote there: a link, a
 * device or FIFO, a hard link, or a file of another owner. With SLURM_SUBMIT_AS=user the folder is
 * the user's, who could otherwise point output.log at any file the portal's account can read.
 */
export class UnsafeStagingFileError extends ForbiddenException {
  constructor(file: string, why: string) {
    super(
      `The session's ${file} is ${why}; the portal reads only plain files that the job wrote in the session's folder.`,
    );
  }
}

/** sbatch refused the job. The session is kept (failed, with Slurm's words) and returned too. */
export class SlurmRejectedSessionError extends UnprocessableEntityException {
  constructor(slurmMessage: string, session: SessionDto) {
    super({ statusCode: 422, error: 'Rejected by Slurm', message: slurmMessage, session });
  }
}

export class SessionNotRunningError extends ConflictException {
  constructor(state: string) {
    super(`The desktop is not ready: the session is ${state}`);
  }
}

/** The desktop, or this user, has as many proxy connections open as VncConnections allows. */
export class TooManyVncConnectionsError extends HttpException {
  constructor(message: string) {
    super({ statusCode: 429, error: 'Too Many Requests', message }, HttpStatus.TOO_MANY_REQUESTS);
  }
}

/** The launch would take the user over a quota: the sentence names the limit, the use and the way out. */
export class QuotaExceededError extends ConflictException {
  constructor(refusal: QuotaRefusal) {
    super({
      statusCode: 409,
      error: 'Quota Exceeded',
      message: refusal.message,
      quota: { name: refusal.quota, used: refusal.used, limit: refusal.limit },
    });
  }
}

/** Extend would go past the site's limit or the partition's MaxTime, or the session is not running. */
export class ExtensionRefusedError extends ConflictException {
  constructor(message: string) {
    super({ statusCode: 409, error: 'Cannot Extend', message });
  }
}

/** Slurm refused the portal's own account the new time limit: a site set-up fault, not the user's. */
export class ExtensionNotPermittedError extends HttpException {
  constructor(jobId: string) {
    super(
      {
        statusCode: 502,
        error: 'Slurm Refused',
        message: `Slurm did not let the portal give job ${jobId} more time: the portal's Slurm account must be a Slurm operator to do that. Your desktop keeps its time limit; please tell your portal administrator.`,
      },
      HttpStatus.BAD_GATEWAY,
    );
  }
}
