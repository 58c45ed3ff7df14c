// The clipboard bridge: browsers do not let a canvas share the system clipboard, so text goes
// across by hand: paste here and send it, or copy what the desktop last copied.
import { ChangeDetectionStrategy, Component, input, output, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';

@Component({
  selector: 'vp-clipboard-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, MatButtonModule, MatFormFieldModule, MatIconModule, MatInputModule],
  template: `
    <header>
      <h2><mat-icon>content_paste</mat-icon> Clipboard</h2>
      <button mat-icon-button type="button" (click)="closed.emit()" aria-label="Close the clipboard panel">
        <mat-icon>close</mat-icon>
      </button>
    </header>
    <section>
      <h3>Send to the desktop</h3>
      <mat-form-field appearance="outline" subscriptSizing="dynamic">
        <textarea
          matInput
          rows="5"
          [ngModel]="outgoing()"
          (ngModelChange)="outgoing.set($event)"
          placeholder="Paste text here"
          data-testid="clipboard-out"
        ></textarea>
      </mat-form-field>
      <button
        mat-flat-button
        type="button"
        (click)="sendText()"
        [disabled]="!outgoing() || disabled()"
        data-testid="clipboard-send"
      >
        <mat-icon>send</mat-icon> Send
      </button>
      @if (sent()) {
        <p class="vp-hint">
          Sent. Paste it in the desktop (Ctrl+Shift+V in a terminal, or the middle mouse button).
        </p>
      }
    </section>
    <section>
      <h3>From the desktop</h3>
      @if (remoteText()) {
        <pre class="vp-remote" data-testid="clipboard-in">{{ remoteText() }}</pre>
        <button mat-stroked-button type="button" (click)="copy()">
          <mat-icon>content_copy</mat-icon> {{ copied() ? 'Copied' : 'Copy' }}
        </button>
      } @else {
        <p class="vp-hint">Text you copy in the desktop shows up here.</p>
      }
    </section>
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      gap: 8px;
      width: 300px;
      padding: 8px 16px 16px;
      box-sizing: border-box;
      background: var(--mat-sys-surface);
      border-left: 1px solid var(--mat-sys-outline-variant);
      overflow: auto;
    }
    header {
      display: flex;
      align-items: center;
      justify-content: space-between;
    }
    h2 {
      display: flex;
      align-items: center;
      gap: 8px;
      font: var(--mat-sys-title-medium);
      margin: 0;
    }
    h3 {
      font: var(--mat-sys-label-large);
      color: var(--mat-sys-on-surface-variant);
      margin: 12px 0 8px;
    }
    mat-form-field {
      width: 100%;
      margin-bottom: 8px;
    }
    .vp-remote {
      margin: 0 0 8px;
      padding: 8px;
      max-height: 200px;
      overflow: auto;
      border-radius: 8px;
      background: var(--mat-sys-surface-container);
      white-space: pre-wrap;
      word-break: break-word;
      font:
        12px/1.5 ui-monospace,
        monospace;
    }
    .vp-hint {
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);
      margin: 8px 0 0;
    }
  `,
})
export class ClipboardPanelComponent {
  readonly remoteText = input('');
  readonly disabled = input(false);
  readonly send = output<string>();
  readonly closed = output<void>();
  protected readonly outgoing = signal('');
  protected readonly sent = signal(false);
  protected readonly copied = signal(false);

  protected sendText(): void {
    this.send.emit(this.outgoing());
    this.sent.set(true);
  }

  protected async copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.remoteText());
      this.copied.set(true);
      setTimeout(() => this.copied.set(false), 2000);
    } catch {
      // No clipboard permission (or not a secure context): the text is selectable above.
    }
  }
}
