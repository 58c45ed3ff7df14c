// The launch form's Presets menu: apply one of the user's presets (marked when something in it no
// longer fits), save the form as a preset under a name, or delete one.
import { ChangeDetectionStrategy, Component, computed, input, output, signal } from '@angular/core';
import { FormControl, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatMenuModule } from '@angular/material/menu';
import {
  type LaunchPresetDto,
  MAX_PRESETS_PER_APP,
  PRESET_NAME_PATTERN,
  PRESET_NAME_RULE,
} from '@vizportal/session-domain';

@Component({
  selector: 'vp-presets-menu',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatMenuModule,
    ReactiveFormsModule,
  ],
  template: `
    <div class="vp-presets">
      <button mat-stroked-button type="button" [matMenuTriggerFor]="menu" data-testid="presets-button">
        <mat-icon>bookmarks</mat-icon> Presets
      </button>
      <mat-menu #menu="matMenu">
        @for (preset of presets(); track preset.name) {
          <button
            mat-menu-item
            type="button"
            (click)="apply.emit(preset)"
            [attr.data-preset]="preset.name"
            data-testid="preset-apply"
          >
            <mat-icon>{{ preset.problems.length ? 'warning' : 'bookmark' }}</mat-icon>
            <span>{{ preset.name }}</span>
          </button>
        } @empty {
          <button mat-menu-item type="button" disabled>No presets yet</button>
        }
        <hr class="vp-menu-divider" />
        <button
          mat-menu-item
          type="button"
          [disabled]="!canSave()"
          (click)="startNaming()"
          data-testid="preset-save-as"
        >
          <mat-icon>bookmark_add</mat-icon>
          <span>Save as preset…</span>
        </button>
        @if (presets().length) {
          <button
            mat-menu-item
            type="button"
            [matMenuTriggerFor]="deleteMenu"
            data-testid="preset-delete-menu"
          >
            <mat-icon>delete</mat-icon>
            <span>Delete a preset</span>
          </button>
        }
      </mat-menu>
      <mat-menu #deleteMenu="matMenu">
        @for (preset of presets(); track preset.name) {
          <button
            mat-menu-item
            type="button"
            (click)="remove.emit(preset)"
            [attr.data-preset]="preset.name"
            data-testid="preset-delete"
          >
            {{ preset.name }}
          </button>
        }
      </mat-menu>

      @if (naming()) {
        <form
          class="vp-preset-name"
          (submit)="$event.preventDefault(); submitName()"
          data-testid="preset-name-form"
        >
          <mat-form-field appearance="outline" subscriptSizing="dynamic">
            <mat-label>Preset name</mat-label>
            <input matInput [formControl]="name" maxlength="60" data-testid="preset-name" />
            <mat-hint>{{
              full() ? 'Saving a new name needs one deleted first' : 'The same name replaces it'
            }}</mat-hint>
            <mat-error>{{ rule }}</mat-error>
          </mat-form-field>
          <button mat-flat-button type="submit" data-testid="preset-name-save">Save</button>
          <button mat-button type="button" (click)="naming.set(false)">Cancel</button>
        </form>
      }
    </div>
  `,
  styles: `
    .vp-presets {
      display: flex;
      flex-wrap: wrap;
      align-items: flex-start;
      gap: 8px;
    }
    .vp-menu-divider {
      border: none;
      border-top: 1px solid var(--mat-sys-outline-variant);
      margin: 4px 0;
    }
    .vp-preset-name {
      display: flex;
      align-items: flex-start;
      gap: 8px;
    }
    .vp-preset-name mat-form-field {
      width: 240px;
    }
    .vp-preset-name button {
      margin-top: 8px;
    }
  `,
})
export class PresetsMenuComponent {
  readonly presets = input<LaunchPresetDto[]>([]);
  /** False while the form has a failed check: a preset must be launchable. */
  readonly canSave = input(false);
  readonly apply = output<LaunchPresetDto>();
  readonly save = output<string>();
  readonly remove = output<LaunchPresetDto>();

  protected readonly rule = PRESET_NAME_RULE;
  protected readonly naming = signal(false);
  protected readonly full = computed(() => this.presets().length >= MAX_PRESETS_PER_APP);
  protected readonly name = new FormControl('', {
    nonNullable: true,
    validators: [Validators.required, Validators.pattern(PRESET_NAME_PATTERN)],
  });

  protected startNaming(): void {
    this.name.reset('');
    this.naming.set(true);
  }

  protected submitName(): void {
    if (this.name.invalid) {
      this.name.markAsTouched();
      return;
    }
    this.save.emit(this.name.value);
    this.naming.set(false);
  }
}
