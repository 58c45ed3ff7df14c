// The login page (AUTH_MODE=local). After logging in, the user goes back where they were heading.
import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  afterNextRender,
  inject,
  input,
  signal,
  viewChild,
} from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { Router } from '@angular/router';
import { toApiProblem } from '../../shared/data-access/api-error';
import { AuthStore } from '../../shared/data-access/auth.store';

@Component({
  selector: 'vp-login-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
  ],
  template: `
    <div class="vp-login">
      <mat-card appearance="outlined" class="vp-login-card">
        @if (busy()) {
          <mat-progress-bar mode="indeterminate" class="vp-login-progress" />
        }
        <mat-card-content>
          <div class="vp-login-head">
            <mat-icon class="vp-login-logo">view_in_ar</mat-icon>
            <h1>Sign in to vizportal</h1>
            <p>Graphical apps on the cluster's visualization nodes, in your browser.</p>
          </div>
          <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
            <mat-form-field appearance="outline">
              <mat-label>User name</mat-label>
              <input
                matInput
                formControlName="username"
                autocomplete="username"
                name="username"
                data-testid="login-username"
                #usernameInput
              />
              @if (form.controls.username.hasError('required')) {
                <mat-error>Enter your user name</mat-error>
              }
            </mat-form-field>
            <mat-form-field appearance="outline">
              <mat-label>Password</mat-label>
              <input
                matInput
                formControlName="password"
                [type]="showPassword() ? 'text' : 'password'"
                autocomplete="current-password"
                name="password"
                data-testid="login-password"
              />
              <button
                mat-icon-button
                matSuffix
                type="button"
                (click)="showPassword.set(!showPassword())"
                [attr.aria-label]="showPassword() ? 'Hide password' : 'Show password'"
              >
                <mat-icon>{{ showPassword() ? 'visibility_off' : 'visibility' }}</mat-icon>
              </button>
              @if (form.controls.password.hasError('required')) {
                <mat-error>Enter your password</mat-error>
              }
            </mat-form-field>
            @if (error(); as message) {
              <p class="vp-login-error" role="alert" data-testid="login-error">
                <mat-icon>error</mat-icon><span>{{ message }}</span>
              </p>
            }
            <button
              mat-flat-button
              type="submit"
              class="vp-login-submit"
              [disabled]="busy()"
              data-testid="login-submit"
            >
              Sign in
            </button>
          </form>
        </mat-card-content>
      </mat-card>
    </div>
  `,
  styles: `
    .vp-login {
      display: grid;
      place-items: center;
      min-height: calc(100vh - 160px);
    }
    .vp-login-card {
      width: min(400px, 100%);
      position: relative;
      overflow: hidden;
      padding: 8px 8px 4px;
    }
    .vp-login-progress {
      position: absolute;
      top: 0;
      left: 0;
      right: 0;
    }
    .vp-login-head {
      text-align: center;
      margin-bottom: 20px;
    }
    .vp-login-head h1 {
      font: var(--mat-sys-headline-small);
      margin: 8px 0 4px;
    }
    .vp-login-head p {
      color: var(--mat-sys-on-surface-variant);
      margin: 0;
      font: var(--mat-sys-body-medium);
    }
    .vp-login-logo {
      font-size: 40px;
      width: 40px;
      height: 40px;
      color: var(--mat-sys-primary);
    }
    form {
      display: flex;
      flex-direction: column;
    }
    .vp-login-submit {
      height: 44px;
      margin-top: 4px;
    }
    .vp-login-error {
      display: flex;
      gap: 8px;
      align-items: center;
      color: var(--mat-sys-error);
      margin: 0 0 12px;
      font: var(--mat-sys-body-medium);
    }
  `,
})
export class LoginPageComponent {
  private readonly auth = inject(AuthStore);
  private readonly router = inject(Router);
  /** Where the guard found the user heading (query parameter). */
  readonly returnUrl = input<string>();

  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly showPassword = signal(false);
  protected readonly form = inject(FormBuilder).nonNullable.group({
    username: ['', Validators.required],
    password: ['', Validators.required],
  });
  private readonly usernameInput = viewChild<ElementRef<HTMLInputElement>>('usernameInput');

  constructor() {
    // The page has one job: put the cursor where typing starts.
    afterNextRender(() => this.usernameInput()?.nativeElement.focus());
  }

  protected async submit(): Promise<void> {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    const { username, password } = this.form.getRawValue();
    try {
      await this.auth.login(username.trim(), password);
      await this.router.navigateByUrl(this.safeReturnUrl());
    } catch (error) {
      const problem = toApiProblem(error);
      this.error.set(problem.status === 401 ? 'Wrong user name or password.' : problem.message);
      this.form.controls.password.reset();
    } finally {
      this.busy.set(false);
    }
  }

  /** Only paths inside the portal: a crafted link must not send a user elsewhere after login. */
  private safeReturnUrl(): string {
    const url = this.returnUrl();
    return url && url.startsWith('/') && !url.startsWith('//') && !url.startsWith('/login')
      ? url
      : '/sessions';
  }
}
