// The admin page's guard: administrators only; anyone else lands on their sessions. It sits under
// authGuard, so a visitor who is not logged in has already been sent to the login page.
import { inject } from '@angular/core';
import { type CanActivateFn, Router } from '@angular/router';
import { AuthStore } from '../../shared/data-access/auth.store';

export const adminGuard: CanActivateFn = async () => {
  // Both injected before the await: inject() only works in the guard's synchronous part.
  const auth = inject(AuthStore);
  const router = inject(Router);
  try {
    if ((await auth.ensureLoaded())?.isAdmin) return true;
  } catch {
    // The portal did not answer: not a reason to show the admin page.
  }
  return router.createUrlTree(['/sessions']);
};
