import { App, Button, Form, Input } from 'antd';
import { api } from './api.ts';
import { useApiForm } from './forms.ts';
import { usePrefs } from './prefs.tsx';

/** Change one's own password (both zones expose POST /auth/password). */
export function PasswordForm() {
  const { t } = usePrefs();
  const { message } = App.useApp();
  const { form, run } = useApiForm();
  const submit = (values: { currentPassword: string; newPassword: string }) =>
    run(async () => {
      await api('POST', '/auth/password', values);
      form.resetFields();
      message.success(t('Password changed'));
    });
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
