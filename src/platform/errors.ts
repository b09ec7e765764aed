// One error taxonomy for the whole platform. Services throw AppError; one HTTP handler maps it to
// `{ error: { code, message, details? }, requestId }`. Services never import HTTP types.

export type ErrorDetails = Readonly<Record<string, unknown>>;

export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: ErrorDetails | undefined;

  constructor(code: string, status: number, message: string, details?: ErrorDetails) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.status = status;
    this.details = details;
  }
}

/** 400 with the offending field named, for validation failures found inside services. */
export function invalid(field: string, message: string, code = 'validation.invalid'): AppError {
  return new AppError(code, 400, message, { field });
}

/** "Not found or no access": a denial must not reveal that the record exists. */
export function notFound(what: string): AppError {
  return new AppError(`${what}.not_found`, 404, `${what} not found or no access`);
}

export function forbidden(message = 'You do not have permission for this action'): AppError {
  return new AppError('auth.forbidden', 403, message);
}

export function unauthenticated(message = 'Log in first'): AppError {
  return new AppError('auth.unauthenticated', 401, message);
}

export function conflict(code: string, message: string, details?: ErrorDetails): AppError {
  return new AppError(code, 409, message, details);
}
