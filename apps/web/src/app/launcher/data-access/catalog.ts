// The shape of GET /api/apps: each app's card and its launch form (partition options resolved
// from the cluster by the API).
export type FieldValue = string | number | boolean;

export interface FieldOption {
  value: string;
  label?: string;
}

export interface FormFieldDto {
  id: string;
  type: 'number' | 'select' | 'text' | 'boolean';
  label: string;
  help?: string;
  default?: FieldValue;
  min?: number;
  max?: number;
  step?: number;
  options?: FieldOption[];
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
