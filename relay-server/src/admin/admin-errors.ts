/** Outcomes of administration operations that the API and the CLI each report in their own way. */
export class AdminError extends Error {
  constructor(
    readonly kind: 'invalid' | 'forbidden' | 'not-found' | 'conflict',
    message: string,
  ) {
    super(message);
    this.name = 'AdminError';
  }
}

export const invalidInput = (message: string) => new AdminError('invalid', message);
export const forbidden = (message: string) => new AdminError('forbidden', message);
export const notFound = (message: string) => new AdminError('not-found', message);
export const conflict = (message: string) => new AdminError('conflict', message);
