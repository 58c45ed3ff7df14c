// One reading of the API's error bodies, so every page words failures the same way.
// Nest answers { message: string | string[], error, statusCode }; a launch's 400 adds
// `fields: [{field, message}]` and its 422 adds the failed `session`.
import { HttpErrorResponse } from '@angular/common/http';
import type { SessionDto } from '@vizportal/session-domain';

export interface FieldError {
  field: string;
  message: string;
}

export interface ApiProblem {
  /** 0 when the portal did not answer at all. */
  status: number;
  /** One sentence (or a few, joined) a person can read. */
  message: string;
  fields: FieldError[];
  /** A 422 on launch: Slurm refused the job, and the portal kept it as a failed session. */
  session: SessionDto | null;
}

export function toApiProblem(error: unknown): ApiProblem {
  if (!(error instanceof HttpErrorResponse)) {
    return {
      status: 0,
      message: error instanceof Error ? error.message : String(error),
      fields: [],
      session: null,
    };
  }
  if (error.status === 0) {
    return {
      status: 0,
      message: 'The portal did not answer. Check your connection and try again.',
      fields: [],
      session: null,
    };
  }
  const body: unknown = error.error;
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const raw = record['message'];
  const message = Array.isArray(raw)
    ? raw.filter((part): part is string => typeof part === 'string').join('; ')
    : typeof raw === 'string'
      ? raw
      : defaultMessage(error.status);
  const fields = Array.isArray(record['fields']) ? (record['fields'] as unknown[]).filter(isFieldError) : [];
  const session = isSession(record['session']) ? record['session'] : null;
  return { status: error.status, message: message || defaultMessage(error.status), fields, session };
}

function defaultMessage(status: number): string {
  if (status === 503) return 'Slurm is not answering right now. Try again in a moment.';
  if (status === 429) return 'Too many attempts. Wait a minute, then try again.';
  if (status >= 500) return `The portal failed (HTTP ${status}). Try again in a moment.`;
  return `The request failed (HTTP ${status}).`;
}

function isFieldError(value: unknown): value is FieldError {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record['field'] === 'string' && typeof record['message'] === 'string';
}

function isSession(value: unknown): value is SessionDto {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Record<string, unknown>)['id'] === 'string'
  );
}
