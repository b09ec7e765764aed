// 共享申请: what my departments asked for (outgoing) and what they are asked for (incoming), with the provider's
// approve / reject and the consumer's new request and withdrawal.
import { Alert, Button, Checkbox, DatePicker, Form, Input, InputNumber, Modal, Select, Space, Table } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { api } from '../../shared/api.ts';
import type { CatalogRegister } from '../../shared/catalog.ts';
import { useApiForm, useConfirmAction } from '../../shared/forms.ts';
import { label } from '../../shared/i18n.ts';
import { LoadError, useList } from '../../shared/load.tsx';
import { usePrefs } from '../../shared/prefs.tsx';
import { departmentName, useDepartments } from '../data.ts';
import { type Tone, ToneTag } from '../StatusTag.tsx';
import { useStaff } from '../session.ts';
import type { ShareRequest } from './types.ts';

const STATUS_TONE: Record<ShareRequest['status'], Tone> = {
  pending: 'warn',
  approved: 'ok',
  rejected: 'bad',
  refused: 'neutral',
  withdrawn: 'neutral',
};

export function RequestsTab() {
  const { t, date } = usePrefs();
  const session = useStaff();
  const { rows: departments } = useDepartments();
  const [side, setSide] = useState<'all' | 'incoming' | 'outgoing'>('all');
  const { rows, error, reload } = useList<ShareRequest>(`/exchange/requests?side=${side}`);
  const [creating, setCreating] = useState(false);
  const [deciding, setDeciding] = useState<{ request: ShareRequest; approve: boolean }>();
  const confirm = useConfirmAction();
  const mine = new Set([session.departmentId, ...session.roles.map((r) => r.departmentId)]);
  const officerOf = (departmentId: number) =>
    session.roles.some(
      (r) => (r.role === 'data_officer' || r.role === 'department_admin') && r.departmentId === departmentId,
    );
  const mayRequest = session.roles.some((r) => r.role === 'data_officer' || r.role === 'department_admin');
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Select
          aria-label={t('Show')}
          value={side}
          onChange={setSide}
          style={{ minWidth: 180 }}
          options={[
            { value: 'all', label: t('All requests') },
            { value: 'incoming', label: t('Asked of my departments') },
            { value: 'outgoing', label: t('Asked by my departments') },
          ]}
        />
        {mayRequest ? (
          <Button type="primary" onClick={() => setCreating(true)}>
            {t('Request data')}
          </Button>
        ) : null}
      </Space>
      <LoadError error={error} onRetry={reload} />
      <Table<ShareRequest>
        rowKey="id"
        loading={rows === undefined}
        dataSource={rows ?? []}
        scroll={{ x: true }}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        expandable={{
          expandedRowRender: (r) => (
            <Space direction="vertical">
              <span>
                {t('Fields')}: {r.fields.join(', ')}
              </span>
              <span>
                {t('Legal basis')}: {r.legalBasis}
              </span>
              {r.decisionReason ? (
                <span>
                  {t('Decision')}: {r.decisionReason}
                </span>
              ) : null}
            </Space>
          ),
        }}
        columns={[
          { title: '#', dataIndex: 'id', width: 60 },
          { title: t('Resource name'), render: (_: unknown, r) => `${r.registerName} (${r.registerCode})` },
          {
            title: t('Provider'),
            dataIndex: 'providerDepartmentId',
            render: (id: number) => departmentName(departments, id),
          },
          {
            title: t('Consumer'),
            dataIndex: 'consumerDepartmentId',
            render: (id: number) => departmentName(departments, id),
          },
          { title: t('Purpose'), dataIndex: 'purpose' },
          {
            title: t('Status'),
            render: (_: unknown, r) => (
              <Space>
                <ToneTag tone={STATUS_TONE[r.status]}>{t(`request.${r.status}`)}</ToneTag>
                {r.overdue ? <ToneTag tone="bad">{t('Overdue')}</ToneTag> : null}
              </Space>
            ),
          },
          { title: t('Answer due'), dataIndex: 'dueAt', render: (d: string | null) => (d ? date(d) : '—') },
          {
            title: t('Actions'),
            render: (_: unknown, r) => (
              <Space wrap>
                {r.status === 'pending' && officerOf(r.providerDepartmentId) ? (
                  <>
                    <Button size="small" type="primary" onClick={() => setDeciding({ request: r, approve: true })}>
                      {t('Approve')}
                    </Button>
                    <Button size="small" danger onClick={() => setDeciding({ request: r, approve: false })}>
                      {t('Reject')}
                    </Button>
                  </>
                ) : null}
                {r.status === 'pending' && mine.has(r.consumerDepartmentId) && officerOf(r.consumerDepartmentId) ? (
                  <Button
                    size="small"
                    onClick={() =>
                      confirm({
                        title: t('Withdraw this request?'),
                        content: r.registerName,
                        okText: t('Withdraw'),
                        action: async () => {
                          await api('POST', `/exchange/requests/${r.id}/withdraw`);
                          reload();
                        },
                      })
                    }
                  >
                    {t('Withdraw')}
                  </Button>
                ) : null}
              </Space>
            ),
          },
        ]}
      />
      <NewRequest
        open={creating}
        onClose={(done) => {
          setCreating(false);
          if (done) reload();
        }}
      />
      {deciding ? (
        <Decide
          request={deciding.request}
          approve={deciding.approve}
          onClose={(done) => {
            setDeciding(undefined);
            if (done) reload();
          }}
        />
      ) : null}
    </Space>
  );
}

interface RegisterField {
  code: string;
  name: string;
  grade: string;
  piiType: string;
}

function NewRequest({ open, onClose }: { open: boolean; onClose: (done: boolean) => void }) {
  const { t, lang } = usePrefs();
  const { form, run } = useApiForm();
  const session = useStaff();
  const [registers, setRegisters] = useState<CatalogRegister[]>([]);
  const [result, setResult] = useState<ShareRequest>();
  const code = Form.useWatch('registerCode', form) as string | undefined;
  useEffect(() => {
    if (open) api<CatalogRegister[]>('GET', '/catalog/registers').then(setRegisters, () => setRegisters([]));
  }, [open]);
  const register = registers.find((r) => r.code === code);
  const fields = useMemo(
    () =>
      ((register?.metadata as { fields?: RegisterField[] } | undefined)?.fields ?? []).filter(
        (f) => f.grade !== 'core',
      ),
    [register],
  );
  const submit = async () => {
    const values = await form.validateFields();
    await run(async () => {
      const created = await api<ShareRequest>('POST', '/exchange/requests', {
        registerCode: values.registerCode,
        fields: values.fields,
        purpose: values.purpose,
        legalBasis: values.legalBasis,
        validUntil: values.validUntil.endOf('day').toISOString(),
      });
      setResult(created);
    });
  };
  const close = (done: boolean) => {
    form.resetFields();
    setResult(undefined);
    onClose(done);
  };
  return (
    <Modal
      open={open}
      title={t('Request data')}
      onOk={result ? () => close(true) : submit}
      onCancel={() => close(result !== undefined)}
      okText={result ? t('Close') : t('Submit')}
      cancelText={t('Cancel')}
      destroyOnHidden
      width={640}
    >
      {result ? (
        <Alert
          type={result.status === 'refused' ? 'warning' : 'success'}
          showIcon
          title={t(`request.${result.status}`)}
          description={result.decisionReason ?? t('The provider answers within the deadline')}
        />
      ) : (
        <Form form={form} layout="vertical">
          <Form.Item label={t('Resource')} name="registerCode" rules={[{ required: true, message: t('Required') }]}>
            <Select
              showSearch
              optionFilterProp="label"
              options={registers
                .filter((r) => r.departmentId !== session.departmentId)
                .map((r) => ({
                  value: r.code,
                  label: `${r.metadata.name} · ${label(lang, 'sharing', r.metadata.sharing.type)}`,
                }))}
            />
          </Form.Item>
          {register && register.metadata.sharing.type === 'none' ? (
            <Alert type="warning" showIcon title={t('This resource is not shared')} style={{ marginBottom: 16 }} />
          ) : null}
          <Form.Item
            label={t('Fields')}
            name="fields"
            rules={[{ required: true, message: t('Required') }]}
            extra={t('Core data (核心数据) never leaves its provider and cannot be requested')}
          >
            <Checkbox.Group options={fields.map((f) => ({ value: f.code, label: f.name }))} />
          </Form.Item>
          <Form.Item label={t('Purpose')} name="purpose" rules={[{ required: true, min: 2, message: t('Required') }]}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item
            label={t('Legal basis')}
            name="legalBasis"
            rules={[{ required: true, min: 2, message: t('Required') }]}
          >
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
          <Form.Item label={t('Valid until')} name="validUntil" rules={[{ required: true, message: t('Required') }]}>
            <DatePicker />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}

function Decide({
  request,
  approve,
  onClose,
}: {
  request: ShareRequest;
  approve: boolean;
  onClose: (done: boolean) => void;
}) {
  const { t } = usePrefs();
  const { form, run } = useApiForm();
  const submit = async () => {
    const values = await form.validateFields();
    await run(async () => {
      if (approve) {
        await api('POST', `/exchange/requests/${request.id}/approve`, {
          fields: values.fields,
          clearFields: values.clearFields ?? [],
          ...(values.ratePerMinute ? { ratePerMinute: values.ratePerMinute } : {}),
          ...(values.dailyLimit ? { dailyLimit: values.dailyLimit } : {}),
          ...(values.reason ? { reason: values.reason } : {}),
        });
      } else {
        await api('POST', `/exchange/requests/${request.id}/reject`, { reason: values.reason });
      }
      onClose(true);
    });
  };
  const granted = (Form.useWatch('fields', form) as string[] | undefined) ?? request.fields;
  return (
    <Modal
      open
      title={`${approve ? t('Approve') : t('Reject')} · ${request.registerName}`}
      onOk={submit}
      onCancel={() => onClose(false)}
      okText={approve ? t('Approve') : t('Reject')}
      okButtonProps={approve ? {} : { danger: true }}
      cancelText={t('Cancel')}
      destroyOnHidden
    >
      <p>
        {t('Purpose')}: {request.purpose}
      </p>
      <Form form={form} layout="vertical" initialValues={{ fields: request.fields, clearFields: [] }}>
        {approve ? (
          <>
            <Form.Item label={t('Fields granted')} name="fields" rules={[{ required: true, message: t('Required') }]}>
              <Checkbox.Group options={request.fields.map((f) => ({ value: f, label: f }))} />
            </Form.Item>
            <Form.Item
              label={t('Unmasked fields')}
              name="clearFields"
              extra={t('Personal data leaves masked by its type unless listed here')}
            >
              <Checkbox.Group options={granted.map((f) => ({ value: f, label: f }))} />
            </Form.Item>
            <Space wrap>
              <Form.Item label={t('Calls per minute')} name="ratePerMinute">
                <InputNumber min={1} />
              </Form.Item>
              <Form.Item label={t('Calls per day')} name="dailyLimit">
                <InputNumber min={1} />
              </Form.Item>
            </Space>
          </>
        ) : null}
        <Form.Item
          label={t('Reason')}
          name="reason"
          rules={approve ? [] : [{ required: true, min: 2, message: t('Required') }]}
        >
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
