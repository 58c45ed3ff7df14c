// The user's use of each limited quota against its limit ("2 of 3"), before they click Launch.
// Quotas without a limit are left out; with none limited, nothing is shown.
import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { type QuotaReportDto } from '@vizportal/site-policy';

@Component({
  selector: 'vp-quota-usage',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatIconModule, MatProgressBarModule],
  template: `
    @if (limited().length > 0) {
      <section class="vp-quotas" data-testid="quota-usage" aria-label="Your quotas">
        <h2><mat-icon>speed</mat-icon> Your quotas</h2>
        @for (quota of limited(); track quota.quota) {
          <div class="vp-quota" [class.vp-full]="quota.full" [attr.data-quota]="quota.quota">
            <div class="vp-quota-line">
              <span>{{ quota.label }}</span>
              <strong>{{ quota.used }} of {{ quota.limit }}</strong>
            </div>
            <mat-progress-bar mode="determinate" [value]="quota.percent" />
          </div>
        }
      </section>
    }
  `,
  styles: `
    .vp-quotas {
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: 16px;
      padding: 12px 16px;
      margin-bottom: 16px;
    }
    h2 {
      display: flex;
      align-items: center;
      gap: 6px;
      font: var(--mat-sys-title-small);
      margin: 0 0 8px;
    }
    .vp-quota {
      margin: 8px 0;
      font: var(--mat-sys-body-small);
    }
    .vp-quota-line {
      display: flex;
      justify-content: space-between;
      margin-bottom: 4px;
    }
    .vp-full strong {
      color: var(--mat-sys-error);
    }
  `,
})
export class QuotaUsageComponent {
  readonly report = input<QuotaReportDto | null>(null);

  protected readonly limited = computed(() =>
    (this.report()?.quotas ?? [])
      .filter((quota) => quota.limit !== null)
      .map((quota) => {
        const limit = quota.limit as number;
        return {
          ...quota,
          limit,
          full: quota.used >= limit,
          percent: limit === 0 ? 100 : Math.min(100, (quota.used / limit) * 100),
        };
      }),
  );
}
