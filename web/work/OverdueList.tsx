// The platform admin's home shows what is overdue, one card per kind (share requests, objections): the same card.
import { Card, Table, type TableColumnsType } from 'antd';
import type { ReactNode } from 'react';
import { LoadError, useList } from '../shared/load.tsx';
import { usePrefs } from '../shared/prefs.tsx';

export function OverdueList<T extends { id: number }>(props: {
  title: string;
  testId: string;
  path: string;
  /** What the empty card says, e.g. 没有逾期的共享申请. */
  empty: string;
  extra?: ReactNode;
  columns: TableColumnsType<T>;
}) {
  const { t } = usePrefs();
  const { rows, error, reload } = useList<T>(props.path);
  return (
    <Card title={props.title} data-testid={props.testId} extra={props.extra}>
      <LoadError error={error} onRetry={reload} />
      <Table<T>
        rowKey="id"
        size="small"
        loading={rows === undefined}
        dataSource={rows ?? []}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        locale={{ emptyText: t(props.empty) }}
        columns={props.columns}
      />
    </Card>
  );
}
