import { HttpErrorResponse } from '@angular/common/http';
import { toApiProblem } from './api-error';

describe('toApiProblem', () => {
  it('reads a launch 400: the messages joined, and the field errors', () => {
    const problem = toApiProblem(
      new HttpErrorResponse({
        status: 400,
        error: {
          statusCode: 400,
          message: ['cpus: must be at most 4'],
          fields: [{ field: 'cpus', message: 'must be at most 4' }, { nonsense: 1 }],
        },
      }),
    );
    expect(problem).toEqual({
      status: 400,
      message: 'cpus: must be at most 4',
      fields: [{ field: 'cpus', message: 'must be at most 4' }],
      session: null,
    });
  });

  it("keeps Slurm's words and the failed session of a 422", () => {
    const problem = toApiProblem(
      new HttpErrorResponse({
        status: 422,
        error: { message: 'Requested time limit is invalid', session: { id: 's1', state: 'failed' } },
      }),
    );
    expect(problem.message).toBe('Requested time limit is invalid');
    expect(problem.session?.id).toBe('s1');
  });

  it('words a missing answer and a bodiless 503', () => {
    expect(toApiProblem(new HttpErrorResponse({ status: 0 })).message).toContain('did not answer');
    expect(toApiProblem(new HttpErrorResponse({ status: 503, error: null })).message).toContain(
      'Slurm is not answering',
    );
  });
});
