// A word in the tab's title for a user who looked away ("● Desktop is ready · My sessions · vizportal"):
// set only while the page is hidden, and taken off as soon as the user comes back to the tab.
import { DOCUMENT } from '@angular/common';
import { DestroyRef, Injectable, inject } from '@angular/core';
import { Title } from '@angular/platform-browser';

const MARK = '● ';

@Injectable({ providedIn: 'root' })
export class TabTitleAlert {
  private readonly title = inject(Title);
  private readonly document = inject(DOCUMENT);
  /** The title as the page had it before the alert, put back on return. */
  private original: string | null = null;

  constructor() {
    const restore = () => {
      if (!this.document.hidden) this.clear();
    };
    this.document.addEventListener('visibilitychange', restore);
    inject(DestroyRef).onDestroy(() => this.document.removeEventListener('visibilitychange', restore));
  }

  /** Shows the alert if the user is not looking at the tab; the newest alert replaces an older one. */
  show(text: string): void {
    if (!this.document.hidden) return;
    this.original ??= this.title.getTitle();
    this.title.setTitle(`${MARK}${text} · ${this.original}`);
  }

  clear(): void {
    if (this.original === null) return;
    this.title.setTitle(this.original);
    this.original = null;
  }
}
