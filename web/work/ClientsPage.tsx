import { Alert, Button, Card, Form, Input, Select, Table, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../shared/api.ts';
import { useConfirmAction } from '../shared/forms.ts';
import { LoadError, useList } from '../shared/load.tsx';
import { usePrefs } from '../shared/prefs.tsx';
import { departmentName, manageableOptions, useDepartments } from './data.ts';
import { FormDialog } from './FormDialog.tsx';
import { StatusTag } from './StatusTag.tsx';
import { useStaff } from './session.ts';

interface Client {
  id: number;
  keyId: string;
  departmentId: number;
  name: string;
  alg: string;
  status: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** Department systems registered for the exchange zone; each signs its requests with its key (RFC 9421). */
export function ClientsPage() {
  const { t, date } = usePrefs();
  const confirm = useConfirmAction();
  const session = useStaff();
  const { rows: departments } = useDepartments();
  const { rows, error, reload } = useList<Client>('/clients');
  const [creating, setCreating] = useState(false);
  const [privateKey, setPrivateKey] = useState<string>();
  const manageable = manageableOptions(departments, session);
  const revoke = (c: Client) =>
    confirm({
      title: t('Revoke this client? Its signatures stop verifying at once.'),
      content: `${c.name} (${c.keyId})`,
      okText: t('Revoke'),
      action: async () => {
        await api('POST', `/clients/${c.id}/revoke`);
        reload();
      },
    });
  return (
    <Card
      title={<h1 style={{ fontSize: '1.25em', margin: 0 }}>{t('API clients')}</h1>}
      extra={
        manageable.length > 0 ? (
          <Button type="primary" onClick={() => setCreating(true)}>
            {t('New API client')}
          </Button>
        ) : null
      }
    >
      {privateKey ? (
        <Alert
          type="warning"
          showIcon
          closable={{ onClose: () => setPrivateKey(undefined) }}
          style={{ marginBottom: 16 }}
          title={t('Private key (shown once; copy it now)')}
          description={
            <Typography.Paragraph copyable={{ text: privateKey }}>
              <pre style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{privateKey}</pre>
            </Typography.Paragraph>
          }
        />
      ) : null}
      <LoadError error={error} onRetry={reload} />
      <Table<Client>
        rowKey="id"
        loading={rows === undefined}
        dataSource={rows ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: true }}
        columns={[
          { title: t('Name'), dataIndex: 'name' },
          {
            title: t('Key id'),
            dataIndex: 'keyId',
            render: (k: string) => (
              <Typography.Text code copyable>
                {k}
              </Typography.Text>
            ),
          },
          {
            title: t('Department'),
            dataIndex: 'departmentId',
            render: (id: number) => departmentName(departments, id),
          },
          { title: t('Algorithm'), dataIndex: 'alg' },
          { title: t('Status'), dataIndex: 'status', render: (s: string) => <StatusTag active={s === 'active'} /> },
          { title: t('Last used'), dataIndex: 'lastUsedAt', render: (d: string | null) => (d ? date(d) : t('Never')) },
          {
            title: t('Actions'),
            render: (_: unknown, c: Client) =>
              c.status === 'active' ? (
                <Button size="small" danger onClick={() => revoke(c)}>
                  {t('Revoke')}
                </Button>
              ) : null,
          },
        ]}
      />
      <CreateClient
        open={creating}
        departments={manageable}
        onClose={(key) => {
          setCreating(false);
          if (key !== undefined) {
            setPrivateKey(key || undefined);
            reload();
          }
        }}
      />
    </Card>
  );
}

function CreateClient(props: {
  open: boolean;
  departments: Array<{ value: number; label: string }>;
  onClose: (privateKey?: string) => void;
}) {
  const { t } = usePrefs();
  return (
    <FormDialog<{ name: string; departmentId: number; alg?: string; publicKey?: string }>
      open={props.open}
      title={t('New API client')}
      initialValues={{ departmentId: props.departments[0]?.value }}
      onCancel={() => props.onClose()}
      onSubmit={async (values) => {
        const created = await api<{ privateKey?: string }>('POST', '/clients', {
          ...values,
          publicKey: values.publicKey || undefined,
        });
        props.onClose(created.privateKey ?? '');
      }}
    >
      <Form.Item label={t('Name')} name="name" rules={[{ required: true, message: t('Required') }]}>
        <Input />
      </Form.Item>
      <Form.Item label={t('Department')} name="departmentId" rules={[{ required: true }]}>
        <Select options={props.departments} />
      </Form.Item>
      <Form.Item label={t('Algorithm')} name="alg">
        <Select
          allowClear
          options={[
            { value: 'ed25519', label: 'Ed25519' },
            { value: 'sm2-sm3', label: 'SM2-SM3 (国密)' },
          ]}
        />
      </Form.Item>
      <Form.Item label={t('Public key (PEM / SM2 hex)')} name="publicKey" extra={t('public key explain')}>
        <Input.TextArea rows={4} />
      </Form.Item>
    </FormDialog>
  );
}
