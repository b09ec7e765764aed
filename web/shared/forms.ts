import type { FormInstance } from 'antd';
import { ApiError } from './api.ts';

/** Shows an API error beside its field when the API names one (JSON pointer), else returns the message. */
export function showApiError(
  form: FormInstance,
  e: unknown,
  explain: (code: string, fallback: string) => string,
  fallback: string,
): string | undefined {
  if (!(e instanceof ApiError)) return fallback;
  const message = explain(e.code, e.message);
  const field = e.field?.replace(/^\//, '').split('/')[0];
  if (field && form.getFieldInstance(field) !== undefined) {
    form.setFields([{ name: field, errors: [message] }]);
    return undefined;
  }
  return message;
}
