import { Alert, Button, Form, Input, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../shared/api.ts';
import { useApiForm } from '../shared/forms.ts';
import { OidcError, OidcSignIn } from '../shared/OidcSignIn.tsx';
import { usePrefs } from '../shared/prefs.tsx';
import { PageCard } from './PageCard.tsx';
import type { AccountSession } from './session.ts';

export function LoginPage({ onLogin }: { onLogin: (s: AccountSession) => void }) {
  const { t } = usePrefs();
  const [tab, setTab] = useState('login');
  return (
    <PageCard title={tab === 'login' ? t('Log in') : t('Real-name registration')}>
      <OidcError />
      <OidcSignIn returnTo={nextPath()} />
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          { key: 'login', label: t('Log in'), children: <LoginForm onLogin={onLogin} /> },
          { key: 'register', label: t('Register'), children: <RegisterForm onLogin={onLogin} /> },
        ]}
      />
    </PageCard>
  );
}

/** Where to go after logging in: a same-site path from ?next=, never another origin. */
function nextPath(): string {
  const next = new URLSearchParams(window.location.search).get('next') ?? '/';
  return next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

function LoginForm({ onLogin }: { onLogin: (s: AccountSession) => void }) {
  const { t } = usePrefs();
  const { form, run } = useApiForm();
  const [message, setMessage] = useState<string>();
  const [busy, setBusy] = useState(false);
  const navigate = useNavigate();
  const submit = async (values: { identifier: string; password: string }) => {
    setBusy(true);
    setMessage(undefined);
    await run(async () => {
      onLogin(await api<AccountSession>('POST', '/auth/login', values));
      navigate(nextPath());
    }, setMessage);
    setBusy(false);
  };
  return (
    <Form form={form} name="login" layout="vertical" onFinish={submit} requiredMark={false}>
      {message ? <Alert type="error" title={message} showIcon style={{ marginBottom: 16 }} /> : null}
      <Form.Item
        label={t('ID number or credit code')}
        name="identifier"
        rules={[{ required: true, message: t('Required') }]}
      >
        <Input autoComplete="username" maxLength={18} />
      </Form.Item>
      <Form.Item label={t('Password')} name="password" rules={[{ required: true, message: t('Required') }]}>
        <Input.Password autoComplete="current-password" />
      </Form.Item>
      <Button type="primary" htmlType="submit" block loading={busy}>
        {t('Log in')}
      </Button>
    </Form>
  );
}

function RegisterForm({ onLogin }: { onLogin: (s: AccountSession) => void }) {
  const { t } = usePrefs();
  const { form, run } = useApiForm();
  const [kind, setKind] = useState<'person' | 'enterprise'>('person');
  const [message, setMessage] = useState<string>();
  const navigate = useNavigate();
  const submit = async (values: Record<string, string>) => {
    setMessage(undefined);
    const body =
      kind === 'person'
        ? { kind, name: values.name, residentId: values.residentId, password: values.password }
        : { kind, name: values.name, creditCode: values.creditCode, password: values.password };
    await run(async () => {
      onLogin(await api<AccountSession>('POST', '/auth/register', body));
      navigate(nextPath());
    }, setMessage);
  };
  return (
    <Form form={form} name="register" layout="vertical" onFinish={submit} requiredMark={false}>
      <Tabs
        size="small"
        activeKey={kind}
        onChange={(k) => setKind(k as 'person' | 'enterprise')}
        items={[
          { key: 'person', label: t('Person') },
          { key: 'enterprise', label: t('Enterprise') },
        ]}
      />
      {message ? <Alert type="error" title={message} showIcon style={{ marginBottom: 16 }} /> : null}
      <Form.Item
        label={kind === 'person' ? t('Name') : t('Enterprise name')}
        name="name"
        rules={[{ required: true, message: t('Required') }]}
      >
        <Input autoComplete={kind === 'person' ? 'name' : 'organization'} />
      </Form.Item>
      {kind === 'person' ? (
        <Form.Item
          label={t('Resident ID number')}
          name="residentId"
          rules={[{ required: true, len: 18, message: t('Required') }]}
        >
          <Input maxLength={18} />
        </Form.Item>
      ) : (
        <Form.Item
          label={t('Unified social credit code')}
          name="creditCode"
          rules={[{ required: true, len: 18, message: t('Required') }]}
        >
          <Input maxLength={18} />
        </Form.Item>
      )}
      <Form.Item
        label={t('Password')}
        name="password"
        extra={t('at least 8 characters')}
        rules={[{ required: true, min: 8, message: t('at least 8 characters') }]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Typography.Paragraph type="secondary" style={{ fontSize: '0.9em' }}>
        {t('Already registered?')}
      </Typography.Paragraph>
      <Button type="primary" htmlType="submit" block>
        {t('Register')}
      </Button>
    </Form>
  );
}
