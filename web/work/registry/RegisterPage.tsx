// A register: its metadata and records (keyset pages, a field filter), with the import dialog for its data officers.
import { UploadOutlined } from '@ant-design/icons';
import { Button, Card, Descriptions, Input, Select, Space, Table, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { api } from '../../shared/api.ts';
import { type CatalogRegister, catalogLabel } from '../../shared/catalog-labels.ts';
import { usePrefs } from '../../shared/prefs.tsx';
import { useStaff } from '../session.ts';
import { ImportDialog } from './ImportDialog.tsx';
import { heading } from './shared.tsx';

interface RecordRow {
  id: number;
  version: number;
  data: Record<string, unknown>;
  deleted: boolean;
}
export function RegisterPage() {
  const { t, lang } = usePrefs();
  const { code = '' } = useParams();
  const session = useStaff();
  const [register, setRegister] = useState<CatalogRegister | null>();
  const [records, setRecords] = useState<RecordRow[]>();
  const [next, setNext] = useState<number | null>(null);
  const [filter, setFilter] = useState<{ field?: string; value?: string }>({});
  const [importing, setImporting] = useState(false);
  const load = useCallback(
    async (after = 0) => {
      const q = new URLSearchParams({ limit: '50', after: String(after) });
      if (filter.field && filter.value) {
        q.set('field', filter.field);
        q.set('value', filter.value);
      }
      const page = await api<{ records: RecordRow[]; next: number | null }>(
        'GET',
        `/registry/registers/${code}/records?${q}`,
      );
      setRecords((prev) => (after === 0 ? page.records : [...(prev ?? []), ...page.records]));
      setNext(page.next);
    },
    [code, filter],
  );
  useEffect(() => {
    api<CatalogRegister>('GET', `/catalog/registers/${code}`).then(setRegister, () => setRegister(null));
  }, [code]);
  useEffect(() => {
    load().catch(() => setRecords([]));
  }, [load]);
  if (register === undefined) return <Card loading />;
  if (register === null) return <Card>{t('Page not found')}</Card>;
  const m = register.metadata;
  const mayWrite = session.roles.some(
    (r) => (r.role === 'data_officer' && r.departmentId === register.departmentId) || r.role === 'platform_admin',
  );
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card title={heading(m.name)} extra={<Typography.Text code>{register.code}</Typography.Text>}>
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label={t('Sharing')}>{catalogLabel(lang, 'sharing', m.sharing.type)}</Descriptions.Item>
          <Descriptions.Item label={t('Update cycle')}>
            {catalogLabel(lang, 'updateCycle', m.updateCycle)}
          </Descriptions.Item>
          <Descriptions.Item label={t('Version')}>{register.version}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Card
        title={t('Records')}
        extra={
          <Space wrap>
            <Select
              allowClear
              aria-label={t('Data item')}
              placeholder={t('Data item')}
              style={{ minWidth: 160 }}
              options={m.fields.map((f) => ({ value: f.code, label: f.name }))}
              onChange={(field?: string) => setFilter((f) => ({ ...f, field }))}
            />
            <Input.Search
              aria-label={t('Value')}
              placeholder={t('Value')}
              allowClear
              onSearch={(value) => setFilter((f) => ({ ...f, value }))}
              style={{ width: 200 }}
            />
            {mayWrite ? (
              <Button icon={<UploadOutlined />} onClick={() => setImporting(true)}>
                {t('Import')}
              </Button>
            ) : null}
          </Space>
        }
      >
        <Table<RecordRow>
          rowKey="id"
          size="small"
          loading={records === undefined}
          dataSource={records ?? []}
          pagination={false}
          scroll={{ x: true }}
          columns={[
            { title: 'ID', dataIndex: 'id', width: 80 },
            ...m.fields.map((f) => ({
              title: f.name,
              key: f.code,
              render: (_: unknown, r: RecordRow) => String(r.data[f.code] ?? ''),
            })),
            { title: t('Version'), dataIndex: 'version', width: 70 },
          ]}
        />
        {next !== null ? (
          <Button style={{ marginTop: 12 }} onClick={() => load(next)}>
            {t('Load more')}
          </Button>
        ) : null}
      </Card>
      <ImportDialog
        open={importing}
        code={register.code}
        fields={m.fields}
        onClose={(changed) => {
          setImporting(false);
          if (changed) void load();
        }}
      />
    </Space>
  );
}
