// 在线申请: the form rendered from the item's JSON Schema, autosaved while typed; uploads for what the applicant
// must provide; materials the government holds shown as "no need to submit"; one submission.
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Form,
  Input,
  InputNumber,
  Select,
  Skeleton,
  Space,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, Navigate, useNavigate, useParams } from 'react-router';
import { ApiError, api, currentCsrfToken } from '../shared/api.ts';
import { usePrefs } from '../shared/prefs.tsx';
import type { AccountSession } from './session.ts';

interface JsonProp {
  type?: string;
  title?: string;
  enum?: string[];
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
}
interface ItemDetail {
  code: string;
  guide: { name: string; materials: Array<{ name: string; source: string; required: boolean }> };
  form: { schema: { properties?: Record<string, JsonProp>; required?: string[] }; ui?: { order?: string[] } };
}
export interface ApplicationView {
  id: number;
  number: string | null;
  status: string;
  step: string | null;
  version: number;
  formData: Record<string, unknown>;
  materials: Array<{
    name: string;
    source: string;
    sha256?: string;
    fetched?: { recordId?: number; missing?: boolean };
  }>;
  correction: { missing: string[]; note: string } | null;
  result: Record<string, unknown> | null;
  dueAt: string | null;
  light: string;
  item?: { code: string; name: string; steps?: Array<{ key: string; name: string }> };
  events?: Array<{
    step: string | null;
    action: string;
    actor: string;
    note: string | null;
    receiptId: string;
    at: string;
  }>;
}

/** Uploads one file as its own content type; returns its SHA-256. */
async function uploadFile(file: File): Promise<string> {
  const res = await fetch('/api/v1/uploads', {
    method: 'POST',
    headers: { 'content-type': file.type || 'application/octet-stream', 'x-csrf-token': currentCsrfToken() },
    credentials: 'same-origin',
    body: file,
  });
  const data = (await res.json().catch(() => ({}))) as { sha256?: string; error?: { code: string; message: string } };
  if (!res.ok || !data.sha256) throw new ApiError(res.status, data.error?.code ?? 'upload', data.error?.message ?? '');
  return data.sha256;
}

/** The form, fields in the order the item's UI hints give, each typed by its schema. */
export function SchemaFields({
  schema,
  order,
}: {
  schema: ItemDetail['form']['schema'];
  order?: string[] | undefined;
}) {
  const { t } = usePrefs();
  const props = schema.properties ?? {};
  const keys = order?.filter((k) => k in props) ?? Object.keys(props);
  return (
    <>
      {keys.map((key) => {
        const p = props[key] ?? {};
        const required = schema.required?.includes(key) ?? false;
        const rules = [
          ...(required ? [{ required: true, message: t('Required') }] : []),
          ...(p.pattern ? [{ pattern: new RegExp(p.pattern), message: t('Check the format') }] : []),
        ];
        const control = p.enum ? (
          <Select aria-label={p.title ?? key} options={p.enum.map((v) => ({ value: v, label: v }))} />
        ) : p.type === 'boolean' ? (
          <Checkbox />
        ) : p.type === 'integer' || p.type === 'number' ? (
          <InputNumber min={p.minimum} max={p.maximum} style={{ width: '100%' }} />
        ) : (p.maxLength ?? 0) > 200 ? (
          <Input.TextArea maxLength={p.maxLength} rows={3} />
        ) : (
          <Input maxLength={p.maxLength} />
        );
        return (
          <Form.Item
            key={key}
            name={key}
            label={p.title ?? key}
            rules={rules}
            valuePropName={p.type === 'boolean' ? 'checked' : 'value'}
          >
            {control}
          </Form.Item>
        );
      })}
    </>
  );
}

export function ApplyPage({ session }: { session: AccountSession | null | undefined }) {
  const { t, error } = usePrefs();
  const { code = '' } = useParams();
  const navigate = useNavigate();
  const [item, setItem] = useState<ItemDetail>();
  const [app, setApp] = useState<ApplicationView>();
  const [uploads, setUploads] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string>();
  const [saving, setSaving] = useState<'idle' | 'saving' | 'saved'>('idle');
  const [form] = Form.useForm();
  const version = useRef(1);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);

  useEffect(() => {
    if (!session) return;
    // One draft per item and browser: the key survives reloads, so autosaved work is never lost or duplicated.
    const storageKey = `zt-draft-${code}`;
    const key = localStorage.getItem(storageKey) ?? `d${crypto.randomUUID().replaceAll('-', '')}`;
    localStorage.setItem(storageKey, key);
    api<ItemDetail>('GET', `/services/items/${encodeURIComponent(code)}`).then(setItem, () =>
      setMessage(t('This service is not available')),
    );
    api<ApplicationView>('POST', '/applications', { item: code, idempotencyKey: key }).then(
      (a) => {
        if (a.status !== 'draft') {
          localStorage.removeItem(storageKey);
          navigate(`/applications/${a.id}`);
          return;
        }
        setApp(a);
        version.current = a.version;
        setUploads(Object.fromEntries(a.materials.filter((m) => m.sha256).map((m) => [m.name, m.sha256 as string])));
      },
      (e: unknown) =>
        setMessage(e instanceof ApiError ? error(e.code, e.message) : t('Something went wrong. Please try again.')),
    );
  }, [session, code, navigate, t, error]);

  const save = useCallback(
    async (nextUploads = uploads) => {
      if (!app) return;
      setSaving('saving');
      const saved = await api<ApplicationView>('PUT', `/applications/${app.id}/draft`, {
        expectedVersion: version.current,
        formData: form.getFieldsValue(true),
        uploads: nextUploads,
      });
      version.current = saved.version;
      setSaving('saved');
    },
    [app, form, uploads],
  );
  const autosave = () => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void save().catch(() => setSaving('idle')), 800);
  };

  if (session === undefined) return <Skeleton active />;
  if (session === null) return <Navigate to={`/login?next=${encodeURIComponent(`/services/${code}/apply`)}`} replace />;
  if (message) return <Alert type="error" showIcon title={message} />;
  if (!item || !app) return <Skeleton active />;

  const submit = async () => {
    await form.validateFields();
    setMessage(undefined);
    try {
      clearTimeout(timer.current);
      await save();
      const done = await api<ApplicationView>('POST', `/applications/${app.id}/submit`);
      localStorage.removeItem(`zt-draft-${code}`);
      navigate(`/applications/${done.id}`);
    } catch (e) {
      setMessage(e instanceof ApiError ? error(e.code, e.message) : t('Something went wrong. Please try again.'));
    }
  };

  return (
    <Card title={<h1 style={{ fontSize: '1.25em', margin: 0 }}>{`${t('Apply')}：${item.guide.name}`}</h1>}>
      {/* The form mounts once both the item and the draft are loaded: the draft's values are its initial values. */}
      <Form form={form} layout="vertical" onValuesChange={autosave} requiredMark initialValues={app.formData}>
        <Typography.Title level={2} style={{ fontSize: '1.1em' }}>
          {t('Application form')}
        </Typography.Title>
        <SchemaFields schema={item.form.schema} order={item.form.ui?.order} />
        <Typography.Title level={2} style={{ fontSize: '1.1em' }}>
          {t('Materials')}
        </Typography.Title>
        <Space direction="vertical" style={{ width: '100%' }}>
          {item.guide.materials.map((m) => (
            <Card size="small" key={m.name}>
              <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
                <span>
                  {m.name} {m.required ? <Typography.Text type="danger">*</Typography.Text> : null}
                </span>
                {m.source !== 'upload' ? (
                  <Tag style={{ color: '#14532d', background: '#dcfce7', borderColor: '#86efac' }}>
                    {t('Already held — no need to submit')}
                  </Tag>
                ) : (
                  <Upload
                    accept="application/pdf,image/png,image/jpeg"
                    showUploadList={false}
                    customRequest={async ({ file, onSuccess, onError }) => {
                      try {
                        const sha = await uploadFile(file as File);
                        const next = { ...uploads, [m.name]: sha };
                        setUploads(next);
                        await save(next);
                        onSuccess?.(sha);
                      } catch (e) {
                        setMessage(
                          e instanceof ApiError
                            ? error(e.code, e.message)
                            : t('Something went wrong. Please try again.'),
                        );
                        onError?.(e as Error);
                      }
                    }}
                  >
                    <Button aria-label={`${t('Upload')} ${m.name}`}>
                      {uploads[m.name] ? t('Replace file') : t('Upload')}
                    </Button>
                  </Upload>
                )}
                {uploads[m.name] ? <Tag>{t('Uploaded')}</Tag> : null}
              </Space>
            </Card>
          ))}
        </Space>
        <Space style={{ marginTop: 24 }}>
          <Button type="primary" onClick={submit}>
            {t('Submit application')}
          </Button>
          <Typography.Text type="secondary" aria-live="polite">
            {saving === 'saving' ? t('Saving…') : saving === 'saved' ? t('Draft saved') : ''}
          </Typography.Text>
          <Link to={`/services/${code}`}>{t('Back to the guide')}</Link>
        </Space>
      </Form>
    </Card>
  );
}
