import type { FormFieldDto } from '@vizportal/session-domain';
import {
  applyServerErrors,
  buildLaunchForm,
  fieldErrorMessage,
  fittingValues,
  launchValues,
} from './launch-form';

const FIELDS: FormFieldDto[] = [
  {
    id: 'partition',
    type: 'select',
    label: 'Partition',
    options: [{ value: 'viz' }, { value: 'debug' }],
    default: 'viz',
  },
  { id: 'cpus', type: 'number', label: 'CPUs', default: 1, min: 1, max: 4, step: 1 },
  { id: 'memory', type: 'number', label: 'Memory (GB)', default: 1, min: 0.5, max: 4, step: 0.5 },
  {
    id: 'title',
    type: 'text',
    label: 'Window title',
    default: 'Terminal',
    maxLength: 10,
    pattern: '^[A-Za-z ]*$',
  },
  { id: 'gpu', type: 'boolean', label: 'GPU' },
];

function messageOf(id: string, value: unknown): string | null {
  const form = buildLaunchForm(FIELDS);
  const control = form.controls[id];
  control.setValue(value as never);
  const field = FIELDS.find((candidate) => candidate.id === id);
  if (!field) throw new Error(`no field ${id}`);
  return fieldErrorMessage(field, control.errors);
}

describe('the launch form generator', () => {
  it('starts from the manifest defaults (false for a boolean without one) and is valid', () => {
    const form = buildLaunchForm(FIELDS);
    expect(form.getRawValue()).toEqual({
      partition: 'viz',
      cpus: 1,
      memory: 1,
      title: 'Terminal',
      gpu: false,
    });
    expect(form.valid).toBe(true);
  });

  it.each([
    ['cpus', 9, 'At most 4'],
    ['cpus', 0, 'At least 1'],
    ['cpus', null, 'Required'],
    ['cpus', 1.5, 'In steps of 1'],
    ['memory', 0.7, 'In steps of 0.5'],
    ['memory', 3.5, null],
    ['partition', null, 'Choose one'],
    ['partition', 'gpu', 'Choose one of the listed options'],
    ['title', 'A very long title', 'At most 10 characters'],
    ['title', 'a;$(b)', 'Contains characters that are not allowed here'],
    ['title', 'Fine', null],
  ])('%s = %p says %p', (id, value, expected) => {
    expect(messageOf(id, value)).toBe(expected);
  });

  it('posts numbers as numbers and leaves blank optional text to its default', () => {
    const form = buildLaunchForm(FIELDS);
    form.controls['cpus'].setValue('3' as never);
    form.controls['title'].setValue('');
    expect(launchValues(FIELDS, form)).toEqual({ partition: 'viz', cpus: 3, memory: 1, gpu: false });
  });

  it("puts the API's 400 field errors on their fields, until the user edits the field", () => {
    const form = buildLaunchForm(FIELDS);
    const unmatched = applyServerErrors(form, [
      { field: 'memory', message: 'Memory (GB) is more than a viz node has' },
      { field: 'nonsense', message: 'unknown field' },
    ]);
    const memory = FIELDS[2];
    expect(unmatched).toEqual([{ field: 'nonsense', message: 'unknown field' }]);
    expect(form.controls['memory'].touched).toBe(true);
    expect(fieldErrorMessage(memory, form.controls['memory'].errors)).toBe(
      'Memory (GB) is more than a viz node has',
    );
    expect(form.invalid).toBe(true);

    form.controls['memory'].setValue(2);
    expect(form.controls['memory'].errors).toBeNull();
  });
});

describe('fittingValues', () => {
  it('takes every saved value the form accepts', () => {
    const saved = { partition: 'debug', cpus: 4, memory: 1.5, title: 'My term', gpu: true };
    expect(fittingValues(FIELDS, saved)).toEqual({ values: saved, misfits: [] });
  });

  it('names the fields whose saved value is out of bounds, off the step, not an option or too long', () => {
    const { values, misfits } = fittingValues(FIELDS, {
      partition: 'gone',
      cpus: 16,
      memory: 1.3,
      title: 'far too long a title',
      gpu: false,
    });
    expect(values).toEqual({ gpu: false });
    expect(misfits.map((field) => field.id)).toEqual(['partition', 'cpus', 'memory', 'title']);
  });

  it('refuses a value of the wrong type even where the checks would let it pass', () => {
    const { values, misfits } = fittingValues(FIELDS, { cpus: '2', gpu: 'yes', title: 3 });
    expect(values).toEqual({});
    expect(misfits.map((field) => field.id)).toEqual(['cpus', 'title', 'gpu']);
  });

  it('leaves out fields the form no longer has, and fields not saved', () => {
    expect(fittingValues(FIELDS, { cpus: 2, removed: 'x' })).toEqual({ values: { cpus: 2 }, misfits: [] });
  });
});
