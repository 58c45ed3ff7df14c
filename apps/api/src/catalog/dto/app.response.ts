// An app as the launcher shows it: its card and its form, with cluster options resolved.
// The classes document the contract of session-domain (catalog.dto.ts) for Swagger; `implements`
// makes a drift between the two a compile error.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { AppManifest, ResolvedFormField } from '@vizportal/job-templates';
import {
  FORM_FIELD_TYPES,
  type AppDto,
  type FormFieldDto,
  type FormFieldOptionDto,
  type FormFieldType,
  type FormFieldValue,
} from '@vizportal/session-domain';

export class FormFieldOptionResponse implements FormFieldOptionDto {
  @ApiProperty({ example: 'viz' }) value!: string;
  @ApiPropertyOptional({ example: 'viz (default)' }) label?: string;
}

export class FormFieldResponse implements FormFieldDto {
  @ApiProperty({ example: 'cpus' }) id!: string;
  @ApiProperty({ enum: FORM_FIELD_TYPES }) type!: FormFieldType;
  @ApiProperty({ example: 'CPUs' }) label!: string;
  @ApiPropertyOptional({ example: 'How many cores the desktop gets.' }) help?: string;
  @ApiPropertyOptional({ oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }], example: 1 })
  default?: FormFieldValue;
  @ApiPropertyOptional({ example: 1 }) min?: number;
  @ApiPropertyOptional({ example: 4 }) max?: number;
  @ApiPropertyOptional({ example: 1 }) step?: number;
  @ApiPropertyOptional({ type: [FormFieldOptionResponse] }) options?: FormFieldOptionResponse[];
  @ApiPropertyOptional({ example: '^[A-Za-z0-9_./-]*$' }) pattern?: string;
  @ApiPropertyOptional({ example: 256 }) maxLength?: number;
}

export class AppResponse implements AppDto {
  @ApiProperty({ example: 'desktop' }) id!: string;
  @ApiProperty({ example: 'Desktop' }) title!: string;
  @ApiProperty({ example: 'A light openbox desktop with a terminal, on a visualization node.' })
  description!: string;
  @ApiProperty({ example: 'desktop_windows', description: 'A Material Symbols name' }) icon!: string;
  @ApiProperty({ example: 'Desktops' }) category!: string;
  @ApiProperty({ type: [FormFieldResponse] }) form!: FormFieldResponse[];
}

export function toAppResponse(app: AppManifest, form: ResolvedFormField[]): AppResponse {
  return {
    id: app.id,
    title: app.title,
    description: app.description,
    icon: app.icon,
    category: app.category,
    form: form.map((field) => ({ ...field })),
  };
}
