// The contract of GET /api/apps: each app's card and its launch form, with the partition options
// already resolved from the cluster by the API. The API's response classes implement these; the
// web app builds its forms from them.

export const FORM_FIELD_TYPES = ['number', 'select', 'text', 'boolean'] as const;
export type FormFieldType = (typeof FORM_FIELD_TYPES)[number];

/** What a form field holds, and what a launch request sends for it. */
export type FormFieldValue = string | number | boolean;

export interface FormFieldOptionDto {
  value: string;
  label?: string;
}

export interface FormFieldDto {
  id: string;
  type: FormFieldType;
  label: string;
  help?: string;
  default?: FormFieldValue;
  min?: number;
  max?: number;
  step?: number;
  /** A select's choices. */
  options?: FormFieldOptionDto[];
  /** A text field's JavaScript regular expression, matched against the whole value. */
  pattern?: string;
  maxLength?: number;
}

export interface AppDto {
  id: string;
  title: string;
  description: string;
  /** A Material Symbols name. */
  icon: string;
  category: string;
  form: FormFieldDto[];
}
