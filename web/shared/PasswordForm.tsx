import { App, Button, Form, Input } from 'antd';
import { api } from './api.ts';
import { showApiError } from './forms.ts';
import { usePrefs } from './prefs.tsx';

/** Change one's own password (both zones expose POST /auth/password). */
export function PasswordForm() {
  const { t, error } = usePrefs();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const submit = async (values: { currentPassword: string; newPassword: string }) => {
    try {
      await api('POST', '/auth/password', values);
      form.resetFields();
      message.success(t('Password changed'));
    } catch (e) {
      const text = showApiError(form, e, error, t('Something went wrong. Please try again.'));
      if (text) message.error(text);
    }
  };
  return (
    <Form
      form={form}
      name="password-change"
      layout="vertical"
      onFinish={submit}
      style={{ maxWidth: 420 }}
      requiredMark={false}
    >
      <Form.Item
        label={t('Current password')}
        name="currentPassword"
        rules={[{ required: true, message: t('Required') }]}
      >
        <Input.Password autoComplete="current-password" />
      </Form.Item>
      <Form.Item
        label={t('New password')}
        name="newPassword"
        rules={[{ required: true, min: 8, message: t('at least 8 characters') }]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Button type="primary" htmlType="submit">
        {t('Change password')}
      </Button>
    </Form>
  );
}
