// Route guards: the portal's pages need a login; the login page is for those without one.
import { inject } from '@angular/core';
import { type CanActivateFn, Router } from '@angular/router';
import { AuthStore } from '../../shared/data-access/auth.store';

export const authGuard: CanActivateFn = async (_route, state) => {
  const router = inject(Router);
  try {
    if (await inject(AuthStore).ensureLoaded()) return true;
  } catch {
    // The portal did not answer; the login page says so when the user tries.
  }
  return router.createUrlTree(['/login'], {
    queryParams: state.url && state.url !== '/' ? { returnUrl: state.url } : {},
  });
};

export const guestGuard: CanActivateFn = async () => {
  try {
    if (await inject(AuthStore).ensureLoaded()) return inject(Router).createUrlTree(['/sessions']);
  } catch {
    // Show the login page; logging in will tell whether the portal answers.
  }
  return true;
};
