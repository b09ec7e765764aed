// 我的办件: my applications, and one application's timeline — every step with its ledger receipt — its correction
// request (everything missing, at once) and its result.
import { Alert, Button, Card, Form, List, Skeleton, Space, Table, Tag, Timeline, Typography, Upload } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { Link, Navigate, useParams } from 'react-router';
import { ApiError, api, currentCsrfToken } from '../shared/api.ts';
import { LoadError, useList } from '../shared/load.tsx';
import { usePrefs } from '../shared/prefs.tsx';
import { type ApplicationView, SchemaFields } from './ApplyPage.tsx';
import type { AccountSession } from './session.ts';

const STATUS_STYLE: Record<string, { color: string; background: string; borderColor: string }> = {
  ok: { color: '#14532d', background: '#dcfce7', borderColor: '#86efac' },
  warn: { color: '#713f12', background: '#fef9c3', borderColor: '#fde047' },
  bad: { color: '#7f1d1d', background: '#fee2e2', borderColor: '#fca5a5' },
  info: { color: '#1e3a8a', background: '#dbeafe', borderColor: '#93c5fd' },
  neutral: { color: '#374151', background: '#f3f4f6', borderColor: '#d1d5db' },
};
const TONE: Record<string, keyof typeof STATUS_STYLE> = {
  draft: 'neutral',
  submitted: 'info',
  in_progress: 'info',
  correction: 'warn',
  approved: 'ok',
  concluded: 'ok',
  rejected: 'bad',
  withdrawn: 'neutral',
};

export function StatusTag({ status }: { status: string }) {
  const { t } = usePrefs();
  return <Tag style={STATUS_STYLE[TONE[status] ?? 'neutral']}>{t(`app.${status}`)}</Tag>;
}

export function ApplicationsPage({ session }: { session: AccountSession | null | undefined }) {
  const { t, date } = usePrefs();
  const { rows, error, reload } = useList<ApplicationView>(session ? '/applications' : null);
  if (session === undefined) return <Skeleton active />;
  if (session === null) return <Navigate to="/login?next=/applications" replace />;
  return (
    <Card title={<h1 style={{ fontSize: '1.25em', margin: 0 }}>{t('My applications')}</h1>}>
      <LoadError error={error} onRetry={reload} />
      <Table<ApplicationView>
        rowKey="id"
        loading={rows === undefined}
        dataSource={rows ?? []}
        scroll={{ x: true }}
        pagination={{ hideOnSinglePage: true }}
        columns={[
          {
            title: t('Service'),
            render: (_: unknown, a) => <Link to={`/applications/${a.id}`}>{a.item?.name ?? a.id}</Link>,
          },
          { title: t('Application number'), dataIndex: 'number', render: (n: string | null) => n ?? '—' },
          { title: t('Status'), dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
          { title: t('Answer due'), dataIndex: 'dueAt', render: (d: string | null) => (d ? date(d) : '—') },
        ]}
      />
    </Card>
  );
}

export function ApplicationPage({ session }: { session: AccountSession | null | undefined }) {
  const { t, date, error } = usePrefs();
  const { id } = useParams();
  const [app, setApp] = useState<ApplicationView | null>();
  const [message, setMessage] = useState<string>();
  const load = useRef(() => {});
  load.current = () => {
    api<ApplicationView>('GET', `/applications/${id}`).then(setApp, () => setApp(null));
  };
  useEffect(() => {
    if (session) load.current();
  }, [session]);
  if (session === undefined) return <Skeleton active />;
  if (session === null) return <Navigate to={`/login?next=/applications/${id}`} replace />;
  if (app === undefined) return <Skeleton active />;
  if (app === null) return <Alert type="warning" showIcon title={t('Application not found')} />;
  const steps = app.item?.steps ?? [];
  const stepName = (key: string | null) => steps.find((s) => s.key === key)?.name ?? key ?? '';
  const withdraw = async () => {
    try {
      await api('POST', `/applications/${app.id}/withdraw`);
      load.current();
    } catch (e) {
      setMessage(e instanceof ApiError ? error(e.code, e.message) : t('Something went wrong. Please try again.'));
    }
  };
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card
        title={<h1 style={{ fontSize: '1.25em', margin: 0 }}>{app.item?.name}</h1>}
        extra={<StatusTag status={app.status} />}
      >
        <Space direction="vertical">
          <span>
            {t('Application number')}: <Typography.Text copyable>{app.number ?? '—'}</Typography.Text>
          </span>
          {app.step ? (
            <span>
              {t('Current step')}: {stepName(app.step)}
            </span>
          ) : null}
          {app.dueAt ? (
            <span>
              {t('Answer due')}: {date(app.dueAt)}
            </span>
          ) : null}
          {app.result ? (
            <Alert
              type={app.status === 'rejected' ? 'error' : 'success'}
              showIcon
              title={app.status === 'rejected' ? t('Not approved') : t('Done')}
              description={
                app.status === 'rejected' ? (
                  String(app.result.reason ?? '')
                ) : app.result.licenseNo ? (
                  <Space wrap>
                    <span>{`${t('Electronic licence issued')}: ${String(app.result.licenseType)} ${String(app.result.licenseNo)}`}</span>
                    <a href={`/api/v1/applications/${app.id}/licence`} download>
                      {t('Download the licence')}
                    </a>
                  </Space>
                ) : (
                  t('Your application is concluded')
                )
              }
            />
          ) : null}
          {['submitted', 'in_progress', 'correction'].includes(app.status) ? (
            <Button danger onClick={withdraw}>
              {t('Withdraw application')}
            </Button>
          ) : null}
          {message ? <Alert type="error" showIcon title={message} /> : null}
        </Space>
      </Card>
      {app.status === 'correction' && app.correction ? <Correction app={app} onDone={() => load.current()} /> : null}
      <Card title={<h2 style={{ fontSize: '1.1em', margin: 0 }}>{t('Progress')}</h2>}>
        <Timeline
          items={(app.events ?? []).map((e) => ({
            children: (
              <Space direction="vertical" size={0}>
                <Typography.Text strong>
                  {t(`event.${e.action}`)} {e.step ? `· ${stepName(e.step)}` : ''}
                </Typography.Text>
                <Typography.Text type="secondary">{date(e.at)}</Typography.Text>
                {e.note ? <span>{e.note}</span> : null}
                <Link to={`/verify?receipt=${encodeURIComponent(e.receiptId)}`}>{t('Verify the receipt')}</Link>
              </Space>
            ),
          }))}
        />
      </Card>
    </Space>
  );
}

/** 补正: what the caseworker asked for, the form and uploads to fix it, and the button to send it back. */
function Correction({ app, onDone }: { app: ApplicationView; onDone: () => void }) {
  const { t, error } = usePrefs();
  const [form] = Form.useForm();
  const [item, setItem] = useState<{ form: { schema: object; ui?: { order?: string[] } } }>();
  const [uploads, setUploads] = useState<Record<string, string>>(
    Object.fromEntries(app.materials.filter((m) => m.sha256).map((m) => [m.name, m.sha256 as string])),
  );
  const [message, setMessage] = useState<string>();
  useEffect(() => {
    if (app.item) api<typeof item>('GET', `/services/items/${app.item.code}`).then(setItem, () => {});
    form.setFieldsValue(app.formData);
  }, [app, form]);
  const send = async () => {
    try {
      await form.validateFields();
      await api('PUT', `/applications/${app.id}/draft`, {
        expectedVersion: app.version,
        formData: form.getFieldsValue(true),
        uploads,
      });
      await api('POST', `/applications/${app.id}/resubmit`);
      onDone();
    } catch (e) {
      if (e instanceof ApiError) setMessage(error(e.code, e.message));
    }
  };
  return (
    <Card title={<h2 style={{ fontSize: '1.1em', margin: 0 }}>{t('Please correct your application')}</h2>}>
      <Alert
        type="warning"
        showIcon
        title={t('Everything that is missing, at once')}
        description={
          <List
            size="small"
            dataSource={app.correction?.missing ?? []}
            renderItem={(m) => <List.Item>{m}</List.Item>}
          />
        }
        style={{ marginBottom: 16 }}
      />
      <Form form={form} layout="vertical">
        {item ? <SchemaFields schema={item.form.schema} order={item.form.ui?.order} /> : null}
        {app.materials
          .filter((m) => m.source === 'upload')
          .map((m) => (
            <Form.Item key={m.name} label={m.name}>
              <Upload
                accept="application/pdf,image/png,image/jpeg"
                showUploadList={false}
                customRequest={async ({ file, onSuccess, onError }) => {
                  const f = file as File;
                  const res = await fetch('/api/v1/uploads', {
                    method: 'POST',
                    headers: { 'content-type': f.type, 'x-csrf-token': currentCsrfToken() },
                    credentials: 'same-origin',
                    body: f,
                  });
                  const data = (await res.json()) as { sha256?: string; error?: { code: string; message: string } };
                  if (data.sha256) {
                    setUploads((u) => ({ ...u, [m.name]: data.sha256 as string }));
                    onSuccess?.(data.sha256);
                  } else {
                    setMessage(error(data.error?.code ?? '', data.error?.message ?? ''));
                    onError?.(new Error(data.error?.message));
                  }
                }}
              >
                <Button aria-label={`${t('Upload')} ${m.name}`}>{t('Replace file')}</Button>
              </Upload>
            </Form.Item>
          ))}
        {message ? <Alert type="error" showIcon title={message} style={{ marginBottom: 16 }} /> : null}
        <Button type="primary" onClick={send}>
          {t('Send the corrected application')}
        </Button>
      </Form>
    </Card>
  );
}
