// 数据开放 in the workbench: my departments' datasets (publish from a register or a file, release a version, withdraw) and the
// applications for the conditional ones (approve with a quota, reject with the reason, revoke a key).
import { Button, Card, Form, Input, InputNumber, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
// The vocabulary is the server's own list (a module without imports).
import { LICENCES, THEMES } from '../../../src/modules/opendata/vocabulary.ts';
import { api } from '../../shared/api.ts';
import type { CatalogRegister } from '../../shared/catalog.ts';
import { useConfirmAction } from '../../shared/forms.ts';
import { LoadError, useList } from '../../shared/load.tsx';
import { usePrefs } from '../../shared/prefs.tsx';
import { AccessTag, ToneTag } from '../../shared/tags.tsx';
import { FormDialog } from '../FormDialog.tsx';
import { heading } from '../registry/shared.tsx';
import { UploadDialog } from './UploadDialog.tsx';

interface Dataset {
  name: string;
  title: string;
  notes: string;
  theme: string;
  licenseId: string;
  tags: string[];
  contact: string | null;
  access: 'open' | 'conditional';
  source: 'register' | 'upload';
  state: 'active' | 'withdrawn';
  version: number;
  modifiedAt: string;
  versions: Array<{ version: number; rowCount: number; sha256: string }>;
  usage?: { views: number; downloads: number; apiCalls: number };
}
interface Application {
  id: number;
  dataset: string;
  datasetTitle: string;
  status: 'pending' | 'approved' | 'rejected';
  purpose: string;
  scenario: string;
  dueAt: string;
  escalatedAt: string | null;
  keyPrefix: string | null;
  callsToday: number;
  rowsToday: number;
}

export function OpenDataWorkPage() {
  const { t } = usePrefs();
  return (
    <Card title={heading(t('Open data portal'))}>
      <Tabs
        items={[
          { key: 'datasets', label: t('Datasets'), children: <DatasetsTab /> },
          { key: 'applications', label: t('Applications for conditional data'), children: <ApplicationsTab /> },
        ]}
      />
    </Card>
  );
}

function DatasetsTab() {
  const { t, date } = usePrefs();
  const confirm = useConfirmAction();
  const { rows, error, reload } = useList<Dataset>('/opendata/datasets');
  const [publishing, setPublishing] = useState(false);
  const [uploading, setUploading] = useState<{ dataset?: Dataset }>();
  const [editing, setEditing] = useState<Dataset>();
  const [withdrawing, setWithdrawing] = useState<Dataset>();
  const registers = useList<CatalogRegister>(publishing ? '/catalog/registers' : null);
  const release = (d: Dataset) =>
    confirm({
      title: t('Release the register’s current records as a new version?'),
      content: d.title,
      okText: t('Release'),
      action: async () => {
        await api('POST', `/opendata/datasets/${d.name}/versions`, {});
        reload();
      },
    });
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space>
        <Button type="primary" onClick={() => setPublishing(true)}>
          {t('Open a register')}
        </Button>
        <Button onClick={() => setUploading({})}>{t('Publish a file')}</Button>
      </Space>
      <UploadDialog
        open={uploading !== undefined}
        {...(uploading?.dataset ? { dataset: uploading.dataset } : {})}
        onClose={(changed) => {
          setUploading(undefined);
          if (changed) reload();
        }}
      />
      <LoadError error={error} onRetry={reload} />
      <Table<Dataset>
        rowKey="name"
        loading={rows === undefined}
        dataSource={rows ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        columns={[
          { title: t('Title'), dataIndex: 'title' },
          {
            title: t('Opening'),
            render: (_: unknown, d) => <AccessTag access={d.access} t={t} />,
          },
          { title: t('Version'), dataIndex: 'version' },
          { title: t('Rows'), render: (_: unknown, d) => d.versions.at(-1)?.rowCount ?? 0 },
          { title: t('Released'), dataIndex: 'modifiedAt', render: (v: string) => date(v) },
          {
            title: t('Use'),
            render: (_: unknown, d) =>
              d.usage ? (
                <span>
                  {t('Views')} {d.usage.views} · {t('Downloads')} {d.usage.downloads} · {t('API calls')}{' '}
                  {d.usage.apiCalls}
                </span>
              ) : null,
          },
          {
            title: t('Actions'),
            render: (_: unknown, d) =>
              d.state !== 'active' ? (
                <Tag>{t('Withdrawn')}</Tag>
              ) : (
                <Space size={4} wrap>
                  {d.source === 'upload' ? (
                    <Button size="small" onClick={() => setUploading({ dataset: d })}>
                      {t('New version from a file')}
                    </Button>
                  ) : (
                    <Button size="small" onClick={() => release(d)}>
                      {t('New version')}
                    </Button>
                  )}
                  <Button size="small" onClick={() => setEditing(d)}>
                    {t('Edit')}
                  </Button>
                  <Button size="small" danger onClick={() => setWithdrawing(d)}>
                    {t('Withdraw')}
                  </Button>
                </Space>
              ),
          },
        ]}
      />
      <FormDialog<{ reason: string }>
        key={`withdraw-${withdrawing?.name ?? ''}`}
        open={withdrawing !== undefined}
        title={`${t('Withdraw')}：${withdrawing?.title ?? ''}`}
        okText={t('Withdraw')}
        onCancel={() => setWithdrawing(undefined)}
        onSubmit={async ({ reason }) => {
          await api('POST', `/opendata/datasets/${withdrawing?.name}/withdraw`, { reason });
          setWithdrawing(undefined);
          reload();
        }}
      >
        <Typography.Paragraph>{t('opendata.withdraw.explain')}</Typography.Paragraph>
        <Form.Item label={t('Reason')} name="reason" rules={[{ required: true, message: t('Required') }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
      </FormDialog>
      <FormDialog<{ title: string; notes?: string; theme: string; licenseId: string; tags?: string; contact?: string }>
        key={editing?.name ?? ''}
        open={editing !== undefined}
        title={`${t('Edit')}：${editing?.title ?? ''}`}
        okText={t('Save')}
        initialValues={
          editing && {
            title: editing.title,
            notes: editing.notes,
            theme: editing.theme,
            licenseId: editing.licenseId,
            tags: editing.tags.join('、'),
            contact: editing.contact ?? '',
          }
        }
        onCancel={() => setEditing(undefined)}
        onSubmit={async ({ tags, contact, ...values }) => {
          await api('PATCH', `/opendata/datasets/${editing?.name}`, {
            ...values,
            notes: values.notes ?? '',
            tags: (tags ?? '').split(/[,，、\s]+/).filter(Boolean),
            contact: contact?.trim() ? contact.trim() : null,
          });
          setEditing(undefined);
          reload();
        }}
      >
        <Form.Item label={t('Title')} name="title" rules={[{ required: true, message: t('Required') }]}>
          <Input />
        </Form.Item>
        <Form.Item label={t('Description')} name="notes">
          <Input.TextArea rows={3} />
        </Form.Item>
        <DescriptionFields />
        <Form.Item label={t('Contact')} name="contact">
          <Input />
        </Form.Item>
      </FormDialog>
      <FormDialog<{ register: string; name: string; theme: string; licenseId: string; tags?: string }>
        open={publishing}
        title={t('Open a register')}
        initialValues={{ theme: 'government', licenseId: 'cc-by-4.0' }}
        onCancel={() => setPublishing(false)}
        onSubmit={async ({ tags, ...values }) => {
          await api('POST', '/opendata/datasets', {
            ...values,
            tags: (tags ?? '').split(/[,，、\s]+/).filter(Boolean),
          });
          setPublishing(false);
          reload();
        }}
      >
        <Form.Item
          label={t('Information resource')}
          name="register"
          rules={[{ required: true, message: t('Required') }]}
        >
          <Select
            showSearch
            optionFilterProp="label"
            options={(registers.rows ?? [])
              .filter((r) => r.metadata.open.type !== 'closed')
              .map((r) => ({ value: r.code, label: `${r.metadata.name}（${r.code}）` }))}
          />
        </Form.Item>
        <Form.Item
          label={t('URL name')}
          name="name"
          rules={[{ required: true, pattern: /^[a-z0-9][a-z0-9_-]{1,99}$/, message: 'a-z 0-9 - _' }]}
        >
          <Input />
        </Form.Item>
        <DescriptionFields />
      </FormDialog>
    </Space>
  );
}

function ApplicationsTab() {
  const { t, date } = usePrefs();
  const { rows, error, reload } = useList<Application>('/opendata/applications');
  const [deciding, setDeciding] = useState<Application>();
  return (
    <>
      <LoadError error={error} onRetry={reload} />
      <Table<Application>
        rowKey="id"
        loading={rows === undefined}
        dataSource={rows ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: t('No applications') }}
        columns={[
          { title: t('Dataset'), dataIndex: 'datasetTitle' },
          { title: t('Purpose'), dataIndex: 'purpose' },
          { title: t('Scenario'), dataIndex: 'scenario' },
          {
            title: t('Answer due'),
            render: (_: unknown, a) => (
              <Space size={4} wrap>
                {date(a.dueAt)}
                {a.status === 'pending' && a.escalatedAt && (
                  <ToneTag tone="red">{t('Escalated to the platform administrators')}</ToneTag>
                )}
              </Space>
            ),
          },
          { title: t('Status'), dataIndex: 'status', render: (s: string) => <Tag>{t(`odapp.${s}`)}</Tag> },
          {
            title: t('Actions'),
            render: (_: unknown, a) =>
              a.status === 'pending' ? (
                <Button size="small" type="primary" onClick={() => setDeciding(a)}>
                  {t('Decide')}
                </Button>
              ) : a.keyPrefix ? (
                <Button
                  size="small"
                  danger
                  onClick={async () => {
                    await api('POST', `/opendata/applications/${a.id}/revoke`, {
                      reason: t('Revoked by the publishing department'),
                    });
                    reload();
                  }}
                >
                  {t('Revoke key')}
                </Button>
              ) : null,
          },
        ]}
      />
      <FormDialog<{ approve: boolean; note?: string; callsPerDay?: number; rowsPerDay?: number; validDays?: number }>
        open={deciding !== undefined}
        title={`${t('Decide')}: ${deciding?.datasetTitle ?? ''}`}
        okText={t('Save')}
        initialValues={{ approve: true, callsPerDay: 1000, rowsPerDay: 100000, validDays: 365 }}
        onCancel={() => setDeciding(undefined)}
        onSubmit={async (values) => {
          await api('POST', `/opendata/applications/${deciding?.id}/decide`, values);
          setDeciding(undefined);
          reload();
        }}
      >
        <Typography.Paragraph>{deciding?.scenario}</Typography.Paragraph>
        <Form.Item label={t('Decision')} name="approve">
          <Select
            options={[
              { value: true, label: t('Approve') },
              { value: false, label: t('Reject') },
            ]}
          />
        </Form.Item>
        <Form.Item label={t('Calls per day')} name="callsPerDay">
          <InputNumber min={1} />
        </Form.Item>
        <Form.Item label={t('Rows per day')} name="rowsPerDay">
          <InputNumber min={1} />
        </Form.Item>
        <Form.Item label={t('Valid for (days)')} name="validDays">
          <InputNumber min={1} max={1830} />
        </Form.Item>
        <Form.Item label={t('Note')} name="note">
          <Input.TextArea rows={2} />
        </Form.Item>
      </FormDialog>
    </>
  );
}

/** A dataset's theme, licence and tags, as both the publish and the edit dialog ask for them. */
function DescriptionFields() {
  const { t } = usePrefs();
  return (
    <>
      <Form.Item label={t('Theme')} name="theme">
        <Select options={THEMES.map((v) => ({ value: v.name, label: v.title }))} />
      </Form.Item>
      <Form.Item label={t('Licence')} name="licenseId">
        <Select options={LICENCES.map((v) => ({ value: v.id, label: v.title }))} />
      </Form.Item>
      <Form.Item label={t('Tags')} name="tags">
        <Input />
      </Form.Item>
    </>
  );
}
