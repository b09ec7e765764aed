// 授权 and 订阅: grants held and given (the provider revokes), and the subscriptions that follow them.
import { Button, Input, Modal, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../../shared/api.ts';
import { LoadError, useList } from '../../shared/load.tsx';
import { usePrefs } from '../../shared/prefs.tsx';
import { departmentName, useDepartments } from '../data.ts';
import { ToneTag } from '../StatusTag.tsx';
import { isPlatformAdmin, useStaff } from '../session.ts';
import type { Grant, Subscription } from './types.ts';

export function GrantsTab() {
  const { t, date } = usePrefs();
  const session = useStaff();
  const { rows: departments } = useDepartments();
  const { rows, error, reload } = useList<Grant>('/exchange/grants?side=all');
  const [revoking, setRevoking] = useState<Grant>();
  const mayRevoke = (g: Grant) =>
    isPlatformAdmin(session) ||
    session.roles.some(
      (r) => (r.role === 'data_officer' || r.role === 'department_admin') && r.departmentId === g.providerDepartmentId,
    );
  return (
    <>
      <LoadError error={error} onRetry={reload} />
      <Table<Grant>
        rowKey="id"
        loading={rows === undefined}
        dataSource={rows ?? []}
        scroll={{ x: true }}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        columns={[
          { title: '#', dataIndex: 'id', width: 60 },
          { title: t('Resource name'), render: (_: unknown, g) => `${g.registerName} (${g.registerCode})` },
          {
            title: t('Consumer'),
            dataIndex: 'consumerDepartmentId',
            render: (id: number) => departmentName(departments, id),
          },
          {
            title: t('Fields'),
            render: (_: unknown, g) => (
              <Space size={4} wrap>
                {g.fields.map((f) => (
                  <ToneTag key={f} tone={g.clearFields.includes(f) ? 'info' : 'neutral'}>
                    {f}
                    {g.clearFields.includes(f) ? '' : ' *'}
                  </ToneTag>
                ))}
              </Space>
            ),
          },
          { title: t('Purpose'), dataIndex: 'purpose' },
          { title: t('Kind'), dataIndex: 'kind', render: (k: string) => t(`grant.${k}`) },
          { title: t('Valid until'), dataIndex: 'validUntil', render: (d: string) => date(d) },
          {
            title: t('Limits'),
            render: (_: unknown, g) => `${g.ratePerMinute}/${t('min')} · ${g.dailyLimit}/${t('day')}`,
          },
          {
            title: t('Status'),
            render: (_: unknown, g) => (
              <ToneTag tone={g.status === 'active' ? 'ok' : 'neutral'}>{t(`grant.${g.status}`)}</ToneTag>
            ),
          },
          {
            title: t('Actions'),
            render: (_: unknown, g) =>
              g.status === 'active' && mayRevoke(g) ? (
                <Button size="small" danger onClick={() => setRevoking(g)}>
                  {t('Revoke')}
                </Button>
              ) : null,
          },
        ]}
      />
      <Typography.Paragraph type="secondary">{t('* masked by its personal-data type')}</Typography.Paragraph>
      {revoking ? (
        <Revoke
          grant={revoking}
          onClose={(done) => {
            setRevoking(undefined);
            if (done) reload();
          }}
        />
      ) : null}
    </>
  );
}

function Revoke({ grant, onClose }: { grant: Grant; onClose: (done: boolean) => void }) {
  const { t } = usePrefs();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      open
      title={t('Revoke this grant? Every later call under it is refused.')}
      okText={t('Revoke')}
      okButtonProps={{ danger: true, disabled: reason.trim().length < 2, loading: busy }}
      cancelText={t('Cancel')}
      onCancel={() => onClose(false)}
      onOk={async () => {
        setBusy(true);
        try {
          await api('POST', `/exchange/grants/${grant.id}/revoke`, { reason });
          onClose(true);
        } finally {
          setBusy(false);
        }
      }}
    >
      <p>{grant.registerName}</p>
      <Input.TextArea
        aria-label={t('Reason')}
        placeholder={t('Reason')}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
      />
    </Modal>
  );
}

export function SubscriptionsTab() {
  const { t, date } = usePrefs();
  const { rows: departments } = useDepartments();
  const { rows, error, reload } = useList<Subscription>('/exchange/subscriptions');
  return (
    <>
      <LoadError error={error} onRetry={reload} />
      <Table<Subscription>
        rowKey="id"
        loading={rows === undefined}
        dataSource={rows ?? []}
        scroll={{ x: true }}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        columns={[
          { title: '#', dataIndex: 'id', width: 60 },
          { title: t('Resource code'), dataIndex: 'register' },
          {
            title: t('Consumer'),
            dataIndex: 'consumerDepartmentId',
            render: (id: number) => departmentName(departments, id),
          },
          { title: t('Key id'), dataIndex: 'keyId' },
          {
            title: t('Webhook URL'),
            dataIndex: 'url',
            render: (u: string) => <Typography.Text code>{u}</Typography.Text>,
          },
          {
            title: t('Delivered'),
            render: (_: unknown, s) => `${s.deliveredSeq} / ${s.lastSeq}`,
          },
          {
            title: t('Status'),
            render: (_: unknown, s) =>
              s.status !== 'active' ? (
                <ToneTag tone="neutral">{t('Cancelled')}</ToneTag>
              ) : s.failures > 0 ? (
                <ToneTag tone="bad" title={s.lastError ?? ''}>
                  {t('Retrying')} ×{s.failures} · {date(s.nextAttemptAt)}
                </ToneTag>
              ) : (
                <ToneTag tone="ok">{t('Active')}</ToneTag>
              ),
          },
        ]}
      />
    </>
  );
}
