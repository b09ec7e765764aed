import { App, Form, type FormInstance } from 'antd';
import { ApiError } from './api.ts';
import { usePrefs } from './prefs.tsx';

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

/**
 * A form whose submissions call the API: `run(fn)` shows a failure beside the field the API names, or else through
 * `onMessage` (a toast by default), always in plain words rather than an error code.
 */
export function useApiForm() {
  const { t, error } = usePrefs();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const run = async (fn: () => Promise<void>, onMessage: (text: string) => void = (text) => message.error(text)) => {
    try {
      await fn();
    } catch (e) {
      const text = showApiError(form, e, error, t('Something went wrong. Please try again.'));
      if (text) onMessage(text);
    }
  };
  return { form, run };
}

/** Asks once, in words that say what will happen, before an irreversible action; then confirms it was done. */
export function useConfirmAction() {
  const { t } = usePrefs();
  const { modal, message } = App.useApp();
  return (options: { title: string; content: string; okText: string; action: () => Promise<void> }) =>
    modal.confirm({
      title: options.title,
      content: options.content,
      okText: options.okText,
      cancelText: t('Cancel'),
      okButtonProps: { danger: true },
      onOk: async () => {
        await options.action();
        message.success(t('Saved'));
      },
    });
}
