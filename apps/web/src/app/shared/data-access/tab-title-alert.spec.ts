import { DOCUMENT } from '@angular/common';
import { TestBed } from '@angular/core/testing';
import { Title } from '@angular/platform-browser';
import { TabTitleAlert } from './tab-title-alert';

describe('TabTitleAlert', () => {
  let hidden: boolean;

  beforeEach(() => {
    hidden = true;
    const document = TestBed.inject(DOCUMENT);
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
    TestBed.inject(Title).setTitle('My sessions · vizportal');
  });

  function returnToTab(): void {
    hidden = false;
    TestBed.inject(DOCUMENT).dispatchEvent(new Event('visibilitychange'));
  }

  it('marks the title while the tab is hidden and puts it back when the user returns', () => {
    const alert = TestBed.inject(TabTitleAlert);
    const title = TestBed.inject(Title);
    alert.show('Desktop is ready');
    expect(title.getTitle()).toBe('● Desktop is ready · My sessions · vizportal');
    alert.show('Time is almost up');
    expect(title.getTitle()).toBe('● Time is almost up · My sessions · vizportal');
    returnToTab();
    expect(title.getTitle()).toBe('My sessions · vizportal');
  });

  it('leaves the title alone for a user who is looking at the tab', () => {
    hidden = false;
    TestBed.inject(TabTitleAlert).show('Desktop is ready');
    expect(TestBed.inject(Title).getTitle()).toBe('My sessions · vizportal');
  });
});
