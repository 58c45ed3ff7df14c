import { TestBed } from '@angular/core/testing';
import { DESKTOP_PREFERENCES_KEY, DesktopPreferencesStore } from './desktop-preferences';

describe('DesktopPreferencesStore', () => {
  beforeEach(() => localStorage.clear());

  it('defaults to scale-to-fit and balanced quality', () => {
    expect(TestBed.inject(DesktopPreferencesStore).preferences()).toEqual({
      viewMode: 'fit',
      quality: 'balanced',
    });
  });

  it('remembers choices in localStorage', () => {
    TestBed.inject(DesktopPreferencesStore).update({ quality: 'low' });
    expect(JSON.parse(localStorage.getItem(DESKTOP_PREFERENCES_KEY) ?? '{}')).toEqual({
      viewMode: 'fit',
      quality: 'low',
    });
    TestBed.resetTestingModule();
    expect(TestBed.inject(DesktopPreferencesStore).preferences().quality).toBe('low');
  });

  it('ignores what it does not understand', () => {
    localStorage.setItem(DESKTOP_PREFERENCES_KEY, '{"viewMode":"huge","quality":"ultra"}');
    expect(TestBed.inject(DesktopPreferencesStore).preferences()).toEqual({
      viewMode: 'fit',
      quality: 'balanced',
    });
  });
});
