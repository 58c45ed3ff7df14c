// An app's launch form, generated from its manifest fields (launch-form.ts holds the rules).
// Shows each field's check failure inline, the server's 400 field errors at their fields, a
// partition's limits and free CPUs under its select, and any other refusal above the button.
import { ChangeDetectionStrategy, Component, computed, effect, input, output, signal } from '@angular/core';
import { ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { MatSelectModule } from '@angular/material/select';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import type { AppDto, ClusterDto, FormFieldDto, FormFieldValue } from '@vizportal/session-domain';
import type { FieldError } from '../../shared/data-access/api-error';
import { describeTimeLimit, partitionLoad } from '../../shared/data-access/cluster';
import {
  applyServerErrors,
  buildLaunchForm,
  fieldErrorMessage,
  launchValues,
} from '../data-access/launch-form';

@Component({
  selector: 'vp-launch-form',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressSpinnerModule,
    MatSelectModule,
    MatSlideToggleModule,
  ],
  template: `
    <form [formGroup]="form()" (ngSubmit)="submit()" novalidate data-testid="launch-form" class="vp-form">
      @for (field of app().form; track field.id) {
        @let control = form().controls[field.id];
        <div
          class="vp-field"
          [class.vp-wide]="field.type !== 'number' && (field.type !== 'select' || isPartitionField(field))"
          [attr.data-field]="field.id"
        >
          @switch (field.type) {
            @case ('number') {
              <mat-form-field appearance="outline" subscriptSizing="dynamic">
                <mat-label>{{ field.label }}</mat-label>
                <input
                  matInput
                  type="number"
                  [formControl]="control"
                  [attr.min]="field.min"
                  [attr.max]="field.max"
                  [attr.step]="field.step"
                  [attr.data-testid]="'field-' + field.id"
                />
                @if (numberHint(field); as hint) {
                  <mat-hint>{{ hint }}</mat-hint>
                }
                <mat-error [attr.data-testid]="'error-' + field.id">{{
                  message(field, control.errors)
                }}</mat-error>
              </mat-form-field>
            }
            @case ('select') {
              <mat-form-field appearance="outline" subscriptSizing="dynamic">
                <mat-label>{{ field.label }}</mat-label>
                <mat-select [formControl]="control" [attr.data-testid]="'field-' + field.id">
                  @for (option of field.options ?? []; track option.value) {
                    <mat-option [value]="option.value">{{ option.label ?? option.value }}</mat-option>
                  }
                </mat-select>
                @if (partitionHint(field); as hint) {
                  <mat-hint data-testid="partition-hint">{{ hint }}</mat-hint>
                } @else if (field.help) {
                  <mat-hint>{{ field.help }}</mat-hint>
                }
                <mat-error [attr.data-testid]="'error-' + field.id">{{
                  message(field, control.errors)
                }}</mat-error>
              </mat-form-field>
            }
            @case ('text') {
              <mat-form-field appearance="outline" subscriptSizing="dynamic">
                <mat-label>{{ field.label }}</mat-label>
                <input
                  matInput
                  type="text"
                  [formControl]="control"
                  [attr.maxlength]="field.maxLength"
                  [attr.data-testid]="'field-' + field.id"
                />
                @if (field.help) {
                  <mat-hint>{{ field.help }}</mat-hint>
                }
                @if (field.maxLength) {
                  <mat-hint align="end">{{ textLength(control.value) }} / {{ field.maxLength }}</mat-hint>
                }
                <mat-error [attr.data-testid]="'error-' + field.id">{{
                  message(field, control.errors)
                }}</mat-error>
              </mat-form-field>
            }
            @case ('boolean') {
              <div class="vp-toggle">
                <mat-slide-toggle [formControl]="control" [attr.data-testid]="'field-' + field.id">{{
                  field.label
                }}</mat-slide-toggle>
                @if (field.help) {
                  <p class="vp-toggle-help">{{ field.help }}</p>
                }
                @if (control.errors?.['server']) {
                  <p class="vp-toggle-error" [attr.data-testid]="'error-' + field.id">
                    {{ control.errors?.['server'] }}
                  </p>
                }
              </div>
            }
          }
        </div>
      }

      @if (problem(); as text) {
        <div class="vp-problem" role="alert" data-testid="launch-problem">
          <mat-icon>report</mat-icon>
          <div>
            @if (problemTitle()) {
              <strong>{{ problemTitle() }}</strong>
            }
            <pre>{{ text }}</pre>
          </div>
        </div>
      }

      <div class="vp-form-actions">
        <ng-content select="[formActions]" />
        <span class="vp-spacer"></span>
        <button
          mat-flat-button
          type="submit"
          [disabled]="submitting()"
          data-testid="launch-submit"
          class="vp-submit"
        >
          @if (submitting()) {
            <mat-progress-spinner mode="indeterminate" diameter="18" />
          } @else {
            <mat-icon>rocket_launch</mat-icon>
          }
          {{ submitting() ? 'Launching…' : 'Launch' }}
        </button>
      </div>
    </form>
  `,
  styles: `
    .vp-form {
      display: grid;
      grid-template-columns: repeat(2, minmax(0, 1fr));
      column-gap: 16px;
      row-gap: 12px;
    }
    .vp-field mat-form-field {
      width: 100%;
    }
    .vp-wide {
      grid-column: 1 / -1;
    }
    .vp-toggle {
      padding: 8px 0 16px;
    }
    .vp-toggle-help {
      margin: 4px 0 0 52px;
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);
    }
    .vp-toggle-error {
      margin: 4px 0 0 52px;
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-error);
    }
    .vp-problem {
      grid-column: 1 / -1;
      display: flex;
      gap: 12px;
      padding: 12px 14px;
      margin: 8px 0;
      border-radius: 12px;
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
    .vp-problem pre {
      margin: 4px 0 0;
      white-space: pre-wrap;
      word-break: break-word;
      font: var(--mat-sys-body-medium);
    }
    .vp-form-actions {
      grid-column: 1 / -1;
      display: flex;
      align-items: center;
      gap: 8px;
      margin-top: 12px;
    }
    .vp-spacer {
      flex: 1;
    }
    .vp-submit {
      min-width: 140px;
      height: 44px;
    }
    .vp-submit mat-progress-spinner {
      display: inline-block;
      margin-right: 8px;
      vertical-align: middle;
      --mat-progress-spinner-active-indicator-color: currentColor;
    }
    @media (max-width: 640px) {
      .vp-form {
        grid-template-columns: 1fr;
      }
    }
  `,
})
export class LaunchFormComponent {
  readonly app = input.required<AppDto>();
  readonly cluster = input<ClusterDto | null>(null);
  readonly submitting = input(false);
  /** The API's 400 field errors; each new array is applied to the fields once. */
  readonly serverErrors = input<FieldError[]>([]);
  /** A refusal that is not about one field (Slurm's 422, Slurm unreachable, …). */
  readonly problem = input<string | null>(null);
  readonly problemTitle = input<string | null>(null);
  readonly launch = output<Record<string, FormFieldValue>>();
  /** The chosen partition, for a cluster overview beside the form. */
  readonly partitionChange = output<string | null>();
  /** Values to put in the form (saved ones that fit it); each new object is applied once, over what is there. */
  readonly startValues = input<Record<string, FormFieldValue> | null>(null);
  /** What a launch would send now; null while the form has a failed check. */
  readonly valuesChange = output<Record<string, FormFieldValue> | null>();

  protected readonly form = computed(() => buildLaunchForm(this.app().form));
  /** The form's value as a signal, for the partition hint. */
  private readonly values = signal<Record<string, unknown>>({});

  constructor() {
    effect(() => {
      const field = this.app().form.find((candidate) => this.isPartitionField(candidate));
      const value = field ? this.values()[field.id] : null;
      this.partitionChange.emit(typeof value === 'string' ? value : null);
    });
    effect((onCleanup) => {
      const form = this.form();
      this.values.set(form.getRawValue());
      const subscription = form.valueChanges.subscribe(() => this.values.set(form.getRawValue()));
      onCleanup(() => subscription.unsubscribe());
    });
    effect(() => {
      const values = this.startValues();
      if (values) this.form().patchValue(values);
    });
    effect(() => {
      this.values();
      const form = this.form();
      this.valuesChange.emit(form.valid ? launchValues(this.app().form, form) : null);
    });
    effect(() => {
      const errors = this.serverErrors();
      if (errors.length) applyServerErrors(this.form(), errors);
    });
  }

  protected submit(): void {
    const form = this.form();
    if (form.invalid) {
      form.markAllAsTouched();
      return;
    }
    this.launch.emit(launchValues(this.app().form, form));
  }

  protected message(field: FormFieldDto, errors: Parameters<typeof fieldErrorMessage>[1]): string | null {
    return fieldErrorMessage(field, errors);
  }

  /** The field's help, then its bounds: "The desktop is stopped when this time is up. 0.5 to 8." */
  protected numberHint(field: FormFieldDto): string | null {
    let range: string | null = null;
    if (field.min !== undefined && field.max !== undefined) range = `${field.min} to ${field.max}`;
    else if (field.min !== undefined) range = `At least ${field.min}`;
    else if (field.max !== undefined) range = `At most ${field.max}`;
    if (!field.help) return range;
    return range ? `${field.help.replace(/\.?$/, '.')} ${range}.` : field.help;
  }

  protected textLength(value: unknown): number {
    return typeof value === 'string' ? value.length : 0;
  }

  /** A select whose options are all the cluster's partitions (the API resolved them from Slurm). */
  protected isPartitionField(field: FormFieldDto): boolean {
    const cluster = this.cluster();
    const options = field.options ?? [];
    if (!cluster || field.type !== 'select' || !options.length) return false;
    const names = new Set(cluster.partitions.map((partition) => partition.name));
    return options.every((option) => names.has(option.value));
  }

  /** The chosen partition's time limit and free CPUs, under its select. */
  protected partitionHint(field: FormFieldDto): string | null {
    const cluster = this.cluster();
    if (!cluster || !this.isPartitionField(field)) return null;
    const chosen = this.values()[field.id];
    const load = typeof chosen === 'string' ? partitionLoad(cluster, chosen) : null;
    if (!load) return null;
    if (load.partition.state !== 'up')
      return `${load.partition.name} is ${load.partition.state}: jobs wait until it is up`;
    return `${cap(describeTimeLimit(load.partition.maxTimeMinutes))} · ${load.freeCpus} of ${load.totalCpus} CPUs free on ${load.usableNodes} node${load.usableNodes === 1 ? '' : 's'}`;
  }
}

function cap(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
