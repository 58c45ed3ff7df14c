// The launch form generator: a manifest's fields become typed form controls with the same checks
// the API makes (bounds, step, options, pattern, length), and each check failure a sentence.
// The API checks again; its 400 field errors land on the same controls (applyServerErrors).
import {
  AbstractControl,
  FormControl,
  FormGroup,
  type ValidationErrors,
  type ValidatorFn,
  Validators,
} from '@angular/forms';
import type { FormFieldDto, FormFieldValue } from '@vizportal/session-domain';
import type { FieldError } from '../../shared/data-access/api-error';

export type LaunchFormGroup = FormGroup<Record<string, FormControl<FormFieldValue | null>>>;

export function buildLaunchForm(fields: FormFieldDto[]): LaunchFormGroup {
  const controls: Record<string, FormControl<FormFieldValue | null>> = {};
  for (const field of fields) {
    controls[field.id] = new FormControl<FormFieldValue | null>(initialValue(field), {
      validators: validatorsFor(field),
    });
  }
  return new FormGroup(controls);
}

/** The values to POST: numbers as numbers, blank optional text left out (the manifest's default applies). */
export function launchValues(fields: FormFieldDto[], form: LaunchFormGroup): Record<string, FormFieldValue> {
  const values: Record<string, FormFieldValue> = {};
  for (const field of fields) {
    const value = form.controls[field.id]?.value;
    if (value === null || value === undefined || value === '') continue;
    values[field.id] = field.type === 'number' ? Number(value) : value;
  }
  return values;
}

export interface FittingValues {
  /** The saved values the form's checks accept, by field id. */
  values: Record<string, FormFieldValue>;
  /** The form's fields whose saved value they refuse (a field no longer on the form is left out). */
  misfits: FormFieldDto[];
}

/**
 * Which saved values (a preset, the last launch) the form would take as they are, by the same
 * checks the form makes; the others are named, so that the caller says what it did not apply.
 */
export function fittingValues(fields: FormFieldDto[], saved: Record<string, unknown>): FittingValues {
  const values: Record<string, FormFieldValue> = {};
  const misfits: FormFieldDto[] = [];
  for (const field of fields) {
    if (!Object.hasOwn(saved, field.id)) continue;
    const value = saved[field.id];
    const control = new FormControl<unknown>(value, { validators: validatorsFor(field) });
    if (control.valid && hasTypeOf(field, value)) values[field.id] = value;
    else misfits.push(field);
  }
  return { values, misfits };
}

function hasTypeOf(field: FormFieldDto, value: unknown): value is FormFieldValue {
  switch (field.type) {
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    default:
      return typeof value === 'string';
  }
}

/** The first failed check of a control, as a sentence; null when it passes. */
export function fieldErrorMessage(field: FormFieldDto, errors: ValidationErrors | null): string | null {
  if (!errors) return null;
  // The server's word comes first: it is the one that refused the launch.
  if (typeof errors['server'] === 'string') return errors['server'];
  if (errors['required']) return field.type === 'select' ? 'Choose one' : 'Required';
  if (errors['number']) return 'Enter a number';
  if (errors['min']) return `At least ${formatNumber(field.min)}`;
  if (errors['max']) return `At most ${formatNumber(field.max)}`;
  if (errors['step']) return `In steps of ${formatNumber(field.step)}`;
  if (errors['option']) return 'Choose one of the listed options';
  if (errors['maxlength']) return `At most ${field.maxLength} characters`;
  if (errors['pattern']) return 'Contains characters that are not allowed here';
  return 'Not a valid value';
}

/** Puts the API's 400 field errors on their controls; returns the ones that match no field. */
export function applyServerErrors(form: LaunchFormGroup, errors: FieldError[]): FieldError[] {
  const unmatched: FieldError[] = [];
  for (const error of errors) {
    const control = form.controls[error.field];
    if (!control) {
      unmatched.push(error);
      continue;
    }
    // Angular reruns the validators on the next edit, which clears this: the user has acted on it.
    control.setErrors({ ...(control.errors ?? {}), server: error.message });
    control.markAsTouched();
  }
  return unmatched;
}

function initialValue(field: FormFieldDto): FormFieldValue | null {
  if (field.default !== undefined) return field.default;
  switch (field.type) {
    case 'boolean':
      return false;
    case 'select':
      return field.options?.length === 1 ? field.options[0].value : null;
    case 'text':
      return '';
    case 'number':
      return null;
  }
}

function validatorsFor(field: FormFieldDto): ValidatorFn[] {
  switch (field.type) {
    case 'number': {
      const validators: ValidatorFn[] = [Validators.required, numberValidator];
      if (field.min !== undefined) validators.push(Validators.min(field.min));
      if (field.max !== undefined) validators.push(Validators.max(field.max));
      if (field.step !== undefined && field.step > 0)
        validators.push(stepValidator(field.step, field.min ?? 0));
      return validators;
    }
    case 'select':
      return [Validators.required, optionValidator((field.options ?? []).map((option) => option.value))];
    case 'text': {
      const validators: ValidatorFn[] = [];
      if (field.maxLength !== undefined) validators.push(Validators.maxLength(field.maxLength));
      if (field.pattern) validators.push(Validators.pattern(field.pattern));
      return validators;
    }
    case 'boolean':
      return [];
  }
}

function numberValidator(control: AbstractControl): ValidationErrors | null {
  const value = control.value as unknown;
  if (value === null || value === '') return null;
  return Number.isFinite(Number(value)) ? null : { number: true };
}

function stepValidator(step: number, base: number): ValidatorFn {
  return (control) => {
    const value = Number(control.value);
    if (control.value === null || control.value === '' || !Number.isFinite(value)) return null;
    const steps = (value - base) / step;
    // Floating point: 1.5 / 0.5 is exact, but 0.3 / 0.1 is not.
    return Math.abs(steps - Math.round(steps)) < 1e-9 ? null : { step: { step } };
  };
}

function optionValidator(values: string[]): ValidatorFn {
  return (control) => {
    const value = control.value as unknown;
    if (value === null || value === '' || values.length === 0) return null;
    return values.includes(String(value)) ? null : { option: true };
  };
}

function formatNumber(value: number | undefined): string {
  return value === undefined ? '' : String(value);
}
