// A register: its records (keyset pages, a field filter, edit, object), its data items, quality and objections.
import { UploadOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Table,
  Tabs,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { ApiError, api } from '../../shared/api.ts';
import type { CatalogRegister } from '../../shared/catalog.ts';
import { useApiForm } from '../../shared/forms.ts';
import { label } from '../../shared/i18n.ts';
import { LoadError } from '../../shared/load.tsx';
import { usePrefs } from '../../shared/prefs.tsx';
import { useStaff } from '../session.ts';
import { type FieldDraft, FieldsEditor, toDrafts, toFields } from './FieldsEditor.tsx';
import { ImportDialog } from './ImportDialog.tsx';
import { ObjectionsPanel } from './ObjectionsPanel.tsx';
import { QualityPanel } from './QualityPanel.tsx';
import { type EditableRecord, EditRecordDialog, ObjectDialog } from './RecordDialogs.tsx';
import { heading } from './shared.tsx';

interface RecordRow extends EditableRecord {
  deleted: boolean;
}

export function RegisterPage() {
  const { t, lang, error: explain } = usePrefs();
  const [recordsError, setRecordsError] = useState<string>();
  const { code = '' } = useParams();
  const session = useStaff();
  const [register, setRegister] = useState<CatalogRegister | null>();
  const [records, setRecords] = useState<RecordRow[]>();
  const [next, setNext] = useState<number | null>(null);
  const [filter, setFilter] = useState<{ field?: string; value?: string }>({});
  const [importing, setImporting] = useState(false);
  const [editing, setEditing] = useState<RecordRow>();
  const [objecting, setObjecting] = useState<number>();
  const [editingFields, setEditingFields] = useState(false);
  const [changes, setChanges] = useState(0);
  const reloadRegister = useCallback(() => {
    api<CatalogRegister>('GET', `/catalog/registers/${code}`).then(setRegister, () => setRegister(null));
  }, [code]);
  // ?record=ID (a search hit): that one record, until the filter is cleared.
  const [params, setParams] = useSearchParams();
  const only = Number(params.get('record') ?? '') || undefined;
  const load = useCallback(
    async (after = 0) => {
      if (only) {
        const one = await api<RecordRow>('GET', `/registry/registers/${code}/records/${only}`);
        setRecords([one]);
        setNext(null);
        return;
      }
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
    [code, filter, only],
  );
  useEffect(reloadRegister, [reloadRegister]);
  const loadRecords = useCallback(() => {
    setRecordsError(undefined);
    load().catch((e: unknown) => {
      setRecords([]);
      setRecordsError(e instanceof ApiError ? explain(e.code, e.message) : t('The list could not be loaded.'));
    });
  }, [load, explain, t]);
  useEffect(loadRecords, [loadRecords]);
  if (register === undefined) return <Card loading />;
  if (register === null) return <Card>{t('Page not found')}</Card>;
  const m = register.metadata;
  const mayWrite = session.roles.some(
    (r) => (r.role === 'data_officer' && r.departmentId === register.departmentId) || r.role === 'platform_admin',
  );
  const changed = () => {
    setChanges((n) => n + 1);
    void load();
  };

  const recordsTab = (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
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
        <Typography.Text>{t('Export')}:</Typography.Text>
        {(['csv', 'xlsx', 'json'] as const).map((format) => (
          <a
            key={format}
            href={`/api/v1/registry/registers/${register.code}/export?format=${format}`}
            download={`${register.code}.${format}`}
          >
            {format.toUpperCase()}
          </a>
        ))}
      </Space>
      {only ? (
        <Alert
          style={{ marginBottom: 12 }}
          type="info"
          message={`${t('Showing record')} #${only}`}
          action={
            <Button size="small" onClick={() => setParams({})}>
              {t('Show all')}
            </Button>
          }
        />
      ) : null}
      <LoadError error={recordsError} onRetry={loadRecords} />
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
          {
            title: t('Actions'),
            key: 'actions',
            render: (_: unknown, r: RecordRow) => (
              <Space size="small">
                {mayWrite ? (
                  <Button size="small" onClick={() => setEditing(r)}>
                    {t('Edit')}
                  </Button>
                ) : null}
                <Button size="small" onClick={() => setObjecting(r.id)}>
                  {t('Object')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      {next !== null ? (
        <Button style={{ marginTop: 12 }} onClick={() => load(next)}>
          {t('Load more')}
        </Button>
      ) : null}
    </>
  );

  const fieldsTab = (
    <>
      {mayWrite ? (
        <Button style={{ marginBottom: 12 }} onClick={() => setEditingFields(true)}>
          {t('Edit data items')}
        </Button>
      ) : null}
      <Table
        size="small"
        rowKey="code"
        pagination={false}
        dataSource={m.fields}
        columns={[
          { title: t('Code'), dataIndex: 'code' },
          { title: t('Item name'), dataIndex: 'name' },
          { title: t('Type'), dataIndex: 'type', render: (v: string) => label(lang, 'fieldType', v) },
          { title: t('Grade'), dataIndex: 'grade', render: (v: string) => label(lang, 'grade', v) },
          { title: t('PII type'), dataIndex: 'piiType', render: (v: string) => label(lang, 'piiType', v) },
          { title: t('Required'), dataIndex: 'required', render: (v?: boolean) => (v ? t('Yes') : '') },
          { title: t('Unique'), dataIndex: 'unique', render: (v?: boolean) => (v ? t('Yes') : '') },
        ]}
      />
    </>
  );

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card title={heading(m.name)} extra={<Typography.Text code>{register.code}</Typography.Text>}>
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label={t('Sharing')}>{label(lang, 'sharing', m.sharing.type)}</Descriptions.Item>
          <Descriptions.Item label={t('Update cycle')}>{label(lang, 'updateCycle', m.updateCycle)}</Descriptions.Item>
          <Descriptions.Item label={t('Version')}>{register.version}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Card>
        <Tabs
          destroyOnHidden
          items={[
            { key: 'records', label: t('Records'), children: recordsTab },
            { key: 'fields', label: t('Data items'), children: fieldsTab },
            {
              key: 'quality',
              label: t('Data quality'),
              children: <QualityPanel code={register.code} version={changes} />,
            },
            {
              key: 'objections',
              label: t('Objections'),
              children: <ObjectionsPanel code={register.code} mayAnswer={mayWrite} reloadKey={changes} />,
            },
          ]}
        />
      </Card>
      <ImportDialog
        open={importing}
        code={register.code}
        fields={m.fields}
        onClose={(didChange) => {
          setImporting(false);
          if (didChange) changed();
        }}
      />
      <EditRecordDialog
        code={register.code}
        fields={m.fields}
        {...(editing ? { record: editing } : {})}
        onClose={(didChange) => {
          setEditing(undefined);
          if (didChange) changed();
        }}
      />
      <ObjectDialog
        code={register.code}
        {...(objecting !== undefined ? { recordId: objecting } : {})}
        onClose={(raised) => {
          setObjecting(undefined);
          if (raised) setChanges((n) => n + 1);
        }}
      />
      <EditFieldsDialog
        open={editingFields}
        register={register}
        onClose={(didChange) => {
          setEditingFields(false);
          if (didChange) {
            reloadRegister();
            setChanges((n) => n + 1);
          }
        }}
      />
    </Space>
  );
}

/** Changes the data items: a new metadata version; the register's version guards against overwriting another edit. */
function EditFieldsDialog(props: { open: boolean; register: CatalogRegister; onClose: (changed: boolean) => void }) {
  const { t } = usePrefs();
  const { message } = App.useApp();
  const { form, run } = useApiForm();
  const submit = async () => {
    const v = await form.validateFields();
    await run(async () => {
      await api('PATCH', `/registry/registers/${props.register.code}`, {
        expectedVersion: props.register.version,
        fields: toFields(v.fields as FieldDraft[]),
      });
      message.success(t('Saved'));
      props.onClose(true);
    });
  };
  return (
    <Modal
      open={props.open}
      title={t('Edit data items')}
      onOk={submit}
      onCancel={() => props.onClose(false)}
      okText={t('Save')}
      cancelText={t('Cancel')}
      destroyOnHidden
      width={1100}
    >
      <Form
        form={form}
        name="fields-edit"
        layout="vertical"
        initialValues={{
          fields: toDrafts(props.register.metadata.fields as unknown as Array<Record<string, unknown>>),
        }}
      >
        <FieldsEditor />
      </Form>
    </Modal>
  );
}
