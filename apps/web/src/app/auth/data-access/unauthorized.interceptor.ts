// A 401 from any API call means the login is gone (expired, or logged out in another tab): go to
// the login page and come back afterwards. The login call's own 401 is a wrong password, and
// /api/auth/me's 401 is how the guards learn there is no login: both are left to their callers.
import { HttpErrorResponse, type HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { Router } from '@angular/router';
import { catchError, throwError } from 'rxjs';
import { AuthStore } from '../../shared/data-access/auth.store';

const LEFT_TO_CALLER = ['/api/auth/login', '/api/auth/me'];

export const unauthorizedInterceptor: HttpInterceptorFn = (request, next) => {
  const router = inject(Router);
  const auth = inject(AuthStore);
  return next(request).pipe(
    catchError((error: unknown) => {
      if (
        error instanceof HttpErrorResponse &&
        error.status === 401 &&
        !LEFT_TO_CALLER.some((path) => request.url.startsWith(path))
      ) {
        auth.expire();
        const current = router.url;
        if (!current.startsWith('/login')) {
          void router.navigate(['/login'], {
            queryParams: current && current !== '/' ? { returnUrl: current } : {},
          });
        }
      }
      return throwError(() => error);
    }),
  );
};
