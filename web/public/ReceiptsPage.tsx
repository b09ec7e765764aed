// 我的存证: the receipts of what the government did for this citizen, each verifiable.
import { Card, Skeleton, Table } from 'antd';
import { useEffect, useState } from 'react';
import { Link, Navigate } from 'react-router';
import { api } from '../shared/api.ts';
import { usePrefs } from '../shared/prefs.tsx';
import type { AccountSession } from './session.ts';

interface ReceiptSummary {
  receiptId: string;
  index: number;
  type: string;
  time: string;
  subject: string;
}

const TYPE_LABELS: Record<string, [string, string]> = {
  'auth.account.registered': ['实名注册账户', 'Account registered'],
  'auth.password.changed': ['修改密码', 'Password changed'],
  'auth.login.succeeded': ['登录', 'Signed in'],
  'auth.login.failed': ['登录失败', 'Failed sign-in'],
  'auth.login.locked': ['账户锁定', 'Account locked'],
  'auth.logout': ['退出登录', 'Signed out'],
};

export function ReceiptsPage({ session }: { session: AccountSession | null | undefined }) {
  const { t, lang, date } = usePrefs();
  const [rows, setRows] = useState<ReceiptSummary[]>();
  useEffect(() => {
    if (session) api<ReceiptSummary[]>('GET', '/ledger/receipts').then(setRows, () => setRows([]));
  }, [session]);
  if (session === undefined) return <Skeleton active />;
  if (session === null) return <Navigate to="/login" replace />;
  return (
    <Card title={<h1 style={{ fontSize: '1.25em', margin: 0 }}>{t('My receipts')}</h1>}>
      <Table<ReceiptSummary>
        rowKey="receiptId"
        loading={rows === undefined}
        dataSource={rows ?? []}
        pagination={{ hideOnSinglePage: true }}
        scroll={{ x: true }}
        locale={{ emptyText: t('No receipts yet; new ones appear within a second.') }}
        columns={[
          {
            title: t('What'),
            dataIndex: 'type',
            render: (type: string) => TYPE_LABELS[type]?.[lang === 'zh' ? 0 : 1] ?? type,
          },
          { title: t('When'), dataIndex: 'time', render: (time: string) => date(time) },
          { title: t('Log index'), dataIndex: 'index' },
          {
            title: t('Actions'),
            render: (_: unknown, r: ReceiptSummary) => (
              <Link to={`/verify?receipt=${encodeURIComponent(r.receiptId)}`}>{t('Verify')}</Link>
            ),
          },
        ]}
      />
    </Card>
  );
}
