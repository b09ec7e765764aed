// 访问日志: every exchange call, allowed or refused, newest first (security monitoring reads the same rows).
import { Button, Select, Space, Table } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../../shared/api.ts';
import { accessReason, label } from '../../shared/i18n.ts';
import { usePrefs } from '../../shared/prefs.tsx';
import { departmentName, useDepartments } from '../data.ts';
import { ToneTag } from '../StatusTag.tsx';
import type { AccessLogEntry } from './types.ts';

export function AccessLogTab() {
  const { t, date, lang } = usePrefs();
  const { rows: departments } = useDepartments();
  const [decision, setDecision] = useState<'' | 'allow' | 'deny'>('');
  const [rows, setRows] = useState<AccessLogEntry[]>();
  const load = async (before?: number) => {
    const q = new URLSearchParams({ limit: '100' });
    if (decision) q.set('decision', decision);
    if (before) q.set('before', String(before));
    const page = await api<AccessLogEntry[]>('GET', `/exchange/access-log?${q}`);
    setRows((prev) => (before ? [...(prev ?? []), ...page] : page));
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload when the filter changes
  useEffect(() => {
    setRows(undefined);
    void load();
  }, [decision]);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Select
        aria-label={t('Decision')}
        value={decision}
        onChange={setDecision}
        style={{ minWidth: 160 }}
        options={[
          { value: '', label: t('All calls') },
          { value: 'allow', label: t('Allowed') },
          { value: 'deny', label: t('Refused') },
        ]}
      />
      <Table<AccessLogEntry>
        rowKey="id"
        size="small"
        loading={rows === undefined}
        dataSource={rows ?? []}
        scroll={{ x: true }}
        pagination={false}
        columns={[
          { title: t('When'), dataIndex: 'at', render: (d: string) => date(d) },
          { title: t('Key id'), dataIndex: 'keyId' },
          {
            title: t('Department'),
            dataIndex: 'departmentId',
            render: (id: number | null) => (id ? departmentName(departments, id) : '—'),
          },
          { title: t('Operation'), dataIndex: 'operation', render: (v: string) => label(lang, 'accessOperation', v) },
          { title: t('Resource code'), dataIndex: 'registerCode' },
          { title: t('Purpose'), dataIndex: 'purpose' },
          {
            title: t('Decision'),
            render: (_: unknown, r) => (
              <ToneTag tone={r.decision === 'allow' ? 'ok' : 'bad'}>
                {r.decision === 'allow' ? t('Allowed') : t('Refused')} {r.status}
              </ToneTag>
            ),
          },
          { title: t('Reason'), dataIndex: 'reason', render: (v: string | null) => accessReason(lang, v) },
          { title: t('Rows'), dataIndex: 'rows' },
          {
            title: t('Duration (ms)'),
            dataIndex: 'durationMs',
            render: (v: number | null) => (v === null ? '' : v.toFixed(1)),
          },
        ]}
      />
      {rows && rows.length > 0 && rows.length % 100 === 0 ? (
        <Button onClick={() => load(rows.at(-1)?.id)}>{t('Older')}</Button>
      ) : null}
    </Space>
  );
}
