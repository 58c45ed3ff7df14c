// What the audit log keeps of a preset route (see @Audited): the app, the name and, when saved,
// the values.
import type { Request } from 'express';
import type { AuditDescription } from '../audit/audited.decorator';

function presetOf(req: Request): { appId: string | null; name: string | null } {
  const params = (req.params ?? {}) as Record<string, string | undefined>;
  return { appId: params['appId']?.slice(0, 64) ?? null, name: params['name']?.slice(0, 60) ?? null };
}

export function describePresetSave(req: Request): AuditDescription {
  const values = (req.body as { values?: unknown } | undefined)?.values;
  return { details: { ...presetOf(req), values: values ?? null } };
}

export function describePresetDelete(req: Request): AuditDescription {
  return { details: presetOf(req) };
}
