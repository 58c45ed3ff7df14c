/**
 * Saved form values (a preset, a user's last launch) read against an app's form as it is now: the
 * same validateChoices a launch goes through, its refusals worded as sentences that name the saved
 * value, so a value that no longer fits is reported rather than quietly replaced.
 */
import type { AppManifest } from './app-manifest.schema';
import { resolveForm, type ChoiceContext } from './resolve-form';
import { validateChoices } from './validate-choices';

/** One sentence per saved value that the app's current form or the cluster would refuse; [] when all fit. */
export function choiceProblems(
  manifest: AppManifest,
  values: Readonly<Record<string, unknown>>,
  context: ChoiceContext,
): string[] {
  const checked = validateChoices(manifest, values, context);
  if (checked.ok) return [];
  const fieldIds = new Set(resolveForm(manifest, context).map((field) => field.id));
  return checked.errors.map(({ field, message }) => {
    const saved = Object.hasOwn(values, field) ? values[field] : undefined;
    if (saved === undefined || saved === null) return `${message}.`;
    if (!fieldIds.has(field)) return `"${field}" is no longer a field of this app (saved: ${shown(saved)}).`;
    return `${message} (saved: ${shown(saved)}).`;
  });
}

function shown(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value) ?? value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}
