// 数据异议 of one register: open ones first with their deadlines; the provider's data officer answers them.
import { App, Button, Form, Input, Modal, Select, Table, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api } from '../../shared/api.ts';
import { useApiForm } from '../../shared/forms.ts';
import { usePrefs } from '../../shared/prefs.tsx';

interface Objection {
  id: number;
  register: string;
  recordId: number;
  reason: string;
  status: string;
  dueAt: string;
  overdue: boolean;
  answer: string | null;
}

const STATUS_COLORS: Record<string, { color: string; background: string }> = {
  open: { color: '#7c2d12', background: '#ffedd5' },
  answered: { color: '#14532d', background: '#dcfce7' },
  corrected: { color: '#14532d', background: '#dcfce7' },
};

export function ObjectionsPanel({
  code,
  mayAnswer,
  reloadKey,
}: {
  code: string;
  mayAnswer: boolean;
  reloadKey: number;
}) {
  const { t, date } = usePrefs();
  const { message } = App.useApp();
  const [rows, setRows] = useState<Objection[]>();
  const [answering, setAnswering] = useState<Objection>();
  const { form, run } = useApiForm();
  const load = useCallback(() => {
    api<Objection[]>('GET', '/registry/objections').then(
      (all) => setRows(all.filter((o) => o.register === code)),
      () => setRows([]),
    );
  }, [code]);
  // reloadKey changes when the page knows objections changed (one was raised from the records tab).
  // biome-ignore lint/correctness/useExhaustiveDependencies: reloadKey is the reload trigger.
  useEffect(load, [load, reloadKey]);
  const submit = async () => {
    const v = await form.validateFields();
    await run(async () => {
      await api('POST', `/registry/objections/${answering?.id}/answer`, v);
      message.success(t('Saved'));
      setAnswering(undefined);
      load();
    });
  };
  return (
    <>
      <Table<Objection>
        rowKey="id"
        size="small"
        loading={rows === undefined}
        dataSource={rows ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        columns={[
          { title: t('Record'), dataIndex: 'recordId', width: 90 },
          { title: t('Reason'), dataIndex: 'reason' },
          {
            title: t('Status'),
            dataIndex: 'status',
            render: (s: string, o) => (
              <Tag style={STATUS_COLORS[s]}>{o.overdue ? t('Overdue') : t(`objection.${s}`)}</Tag>
            ),
          },
          { title: t('Answer by'), dataIndex: 'dueAt', render: (d: string) => date(d) },
          { title: t('Answer'), dataIndex: 'answer' },
          {
            title: t('Actions'),
            render: (_: unknown, o) =>
              mayAnswer && o.status === 'open' ? (
                <Button size="small" onClick={() => setAnswering(o)}>
                  {t('Answer')}
                </Button>
              ) : null,
          },
        ]}
      />
      <Modal
        open={!!answering}
        title={t('Answer the objection')}
        onOk={submit}
        onCancel={() => setAnswering(undefined)}
        okText={t('Save')}
        cancelText={t('Cancel')}
        destroyOnHidden
      >
        <p>{answering?.reason}</p>
        <Form form={form} name="objection-answer" layout="vertical" initialValues={{ resolution: 'corrected' }}>
          <Form.Item label={t('Resolution')} name="resolution">
            <Select
              options={[
                { value: 'corrected', label: t('objection.corrected') },
                { value: 'answered', label: t('objection.answered') },
              ]}
            />
          </Form.Item>
          <Form.Item label={t('Answer')} name="answer" rules={[{ required: true, min: 2, message: t('Required') }]}>
            <Input.TextArea rows={3} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
