// 数据目录: the whole catalog, internal registers included.
import { Card, Table, Tag } from 'antd';
import { Link } from 'react-router';
import type { CatalogRegister } from '../../shared/catalog.ts';
import { label } from '../../shared/i18n.ts';
import { LoadError, useList } from '../../shared/load.tsx';
import { usePrefs } from '../../shared/prefs.tsx';
import { departmentName, useDepartments } from '../data.ts';
import { useStaff } from '../session.ts';
import { heading } from './shared.tsx';

export function RegistryListPage() {
  const { t, lang } = usePrefs();
  const session = useStaff();
  const { rows: departments } = useDepartments();
  const { rows, error, reload } = useList<CatalogRegister>('/catalog/registers');
  const mayCreate = session.roles.some(
    (r) => r.role === 'data_officer' || r.role === 'platform_admin' || r.role === 'department_admin',
  );
  return (
    <Card
      title={heading(t('Data catalog'))}
      extra={mayCreate ? <Link to="/registry/new">{t('Register a resource')}</Link> : null}
    >
      <LoadError error={error} onRetry={reload} />
      <Table<CatalogRegister>
        rowKey="code"
        loading={rows === undefined}
        dataSource={rows ?? []}
        scroll={{ x: true }}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        columns={[
          {
            title: t('Resource name'),
            render: (_: unknown, r) => <Link to={`/registry/${r.code}`}>{r.metadata.name}</Link>,
          },
          { title: t('Resource code'), dataIndex: 'code' },
          { title: t('Provider'), dataIndex: 'departmentId', render: (id: number) => departmentName(departments, id) },
          { title: t('Sharing'), render: (_: unknown, r) => label(lang, 'sharing', r.metadata.sharing.type) },
          {
            title: t('Visibility'),
            render: (_: unknown, r) =>
              r.metadata.visibility === 'internal' ? <Tag>{t('Internal')}</Tag> : t('Public'),
          },
        ]}
      />
    </Card>
  );
}
