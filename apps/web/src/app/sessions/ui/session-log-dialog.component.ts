// The end of a session's output log (why a desktop failed), read when the dialog opens.
import { ChangeDetectionStrategy, Component, ElementRef, inject, signal, viewChild } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { toApiProblem } from '../../shared/data-access/api-error';
import { SessionsApi, type SessionLog } from '../../shared/data-access/sessions-api.service';

export interface SessionLogDialogData {
  id: string;
  title: string;
}

@Component({
  selector: 'vp-session-log-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule, MatDialogModule, MatProgressBarModule],
  template: `
    <h2 mat-dialog-title>Output log · {{ data.title }}</h2>
    <mat-dialog-content class="vp-log-content">
      @if (loading()) {
        <mat-progress-bar mode="indeterminate" />
      }
      @if (error(); as message) {
        <p role="alert" class="vp-log-error">{{ message }}</p>
      }
      @if (log(); as log) {
        @if (log.truncated) {
          <p class="vp-log-note">Only the end of the log is shown.</p>
        }
        <pre #text class="vp-log" data-testid="session-log">{{ log.text || '(the log is empty)' }}</pre>
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end"
      ><button mat-button mat-dialog-close type="button">Close</button></mat-dialog-actions
    >
  `,
  styles: `
    .vp-log-content {
      min-width: min(720px, 80vw);
    }
    .vp-log {
      margin: 0;
      padding: 12px;
      max-height: 60vh;
      overflow: auto;
      background: #1e1e1e;
      color: #e6e6e6;
      border-radius: 8px;
      font:
        12px/1.5 ui-monospace,
        SFMono-Regular,
        Menlo,
        monospace;
      white-space: pre-wrap;
      word-break: break-word;
    }
    .vp-log-note {
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);
    }
    .vp-log-error {
      color: var(--mat-sys-error);
    }
  `,
})
export class SessionLogDialogComponent {
  protected readonly data = inject<SessionLogDialogData>(MAT_DIALOG_DATA);
  private readonly api = inject(SessionsApi);
  protected readonly log = signal<SessionLog | null>(null);
  protected readonly loading = signal(true);
  protected readonly error = signal<string | null>(null);
  private readonly text = viewChild<ElementRef<HTMLElement>>('text');

  constructor() {
    this.api
      .log(this.data.id)
      .then((log) => {
        this.log.set(log);
        // The tail is what matters: start at the bottom once it is rendered.
        setTimeout(() => {
          const element = this.text()?.nativeElement;
          if (element) element.scrollTop = element.scrollHeight;
        });
      })
      .catch((error: unknown) => this.error.set(toApiProblem(error).message))
      .finally(() => this.loading.set(false));
  }
}
