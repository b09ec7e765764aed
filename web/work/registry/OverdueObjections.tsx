// For the platform admin's home: objections whose provider has not answered by the deadline.
import { Card, Table } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../shared/api.ts';
import { usePrefs } from '../../shared/prefs.tsx';

interface Overdue {
  id: number;
  register: string;
  recordId: number;
  reason: string;
  dueAt: string;
}

export function OverdueObjections() {
  const { t, date } = usePrefs();
  const [rows, setRows] = useState<Overdue[]>();
  useEffect(() => {
    api<Overdue[]>('GET', '/registry/objections?overdue=true').then(setRows, () => setRows([]));
  }, []);
  return (
    <Card title={t('Overdue objections')} data-testid="overdue-objections">
      <Table<Overdue>
        rowKey="id"
        size="small"
        loading={rows === undefined}
        dataSource={rows ?? []}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        locale={{ emptyText: t('None overdue') }}
        columns={[
          {
            title: t('Resource code'),
            dataIndex: 'register',
            render: (code: string) => <Link to={`/registry/${code}`}>{code}</Link>,
          },
          { title: t('Record'), dataIndex: 'recordId' },
          { title: t('Reason'), dataIndex: 'reason' },
          { title: t('Answer by'), dataIndex: 'dueAt', render: (d: string) => date(d) },
        ]}
      />
    </Card>
  );
}
