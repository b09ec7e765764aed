// 数据目录 in the workbench: the whole catalog, a register's records with import, and the form that registers a resource.
import { UploadOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Form,
  Input,
  Modal,
  Progress,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { PII_TYPES } from '../../src/modules/privacy/pii.ts';
import { api, currentCsrfToken } from '../shared/api.ts';
import { CATALOG_LABELS, type CatalogRegister, catalogLabel } from '../shared/catalog-labels.ts';
import { useApiForm } from '../shared/forms.ts';
import { usePrefs } from '../shared/prefs.tsx';
import { departmentName, useDepartments } from './data.ts';
import { canManage, useStaff } from './session.ts';

const heading = (text: string) => <h1 style={{ fontSize: '1.25em', margin: 0 }}>{text}</h1>;
const labelOptions = (lang: 'zh' | 'en', kind: keyof typeof CATALOG_LABELS) =>
  Object.keys(CATALOG_LABELS[kind] ?? {}).map((v) => ({ value: v, label: catalogLabel(lang, kind, v) }));

export function RegistryListPage() {
  const { t, lang } = usePrefs();
  const session = useStaff();
  const { rows: departments } = useDepartments();
  const [rows, setRows] = useState<CatalogRegister[]>();
  useEffect(() => {
    api<CatalogRegister[]>('GET', '/catalog/registers').then(setRows, () => setRows([]));
  }, []);
  const mayCreate = session.roles.some(
    (r) => r.role === 'data_officer' || r.role === 'platform_admin' || r.role === 'department_admin',
  );
  return (
    <Card
      title={heading(t('Data catalog'))}
      extra={mayCreate ? <Link to="/registry/new">{t('Register a resource')}</Link> : null}
    >
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
          { title: t('Sharing'), render: (_: unknown, r) => catalogLabel(lang, 'sharing', r.metadata.sharing.type) },
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

interface RecordRow {
  id: number;
  version: number;
  data: Record<string, unknown>;
  deleted: boolean;
}

interface ImportReport {
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  invalid: number;
  committed: boolean;
  errors: Array<{ row: number; column: string; value: string; reason: string }>;
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

function ImportDialog(props: {
  open: boolean;
  code: string;
  fields: CatalogRegister['metadata']['fields'];
  onClose: (changed: boolean) => void;
}) {
  const { t } = usePrefs();
  const [file, setFile] = useState<File>();
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [keyField, setKeyField] = useState<string>();
  const [progress, setProgress] = useState<number>();
  const [report, setReport] = useState<ImportReport>();
  const [problem, setProblem] = useState<string>();
  const start = () => {
    if (!file) return;
    setReport(undefined);
    setProblem(undefined);
    const q = new URLSearchParams();
    if (skipInvalid) q.set('skipInvalid', 'true');
    if (keyField) q.set('keyField', keyField);
    // XMLHttpRequest, not fetch: it reports upload progress.
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1/registry/registers/${props.code}/import?${q}`);
    xhr.setRequestHeader(
      'content-type',
      file.name.toLowerCase().endsWith('.xlsx')
        ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
        : 'text/csv',
    );
    xhr.setRequestHeader('x-csrf-token', currentCsrfToken());
    xhr.upload.onprogress = (e) => e.lengthComputable && setProgress(Math.round((e.loaded / e.total) * 100));
    xhr.onload = () => {
      setProgress(undefined);
      const body = JSON.parse(xhr.responseText || '{}') as {
        error?: { message: string; details?: { report?: ImportReport } };
      } & ImportReport;
      if (xhr.status === 200) setReport(body);
      else if (body.error?.details?.report) setReport(body.error.details.report);
      else setProblem(body.error?.message ?? xhr.statusText);
    };
    xhr.onerror = () => setProblem(t('Something went wrong. Please try again.'));
    setProgress(0);
    xhr.send(file);
  };
  return (
    <Modal
      open={props.open}
      title={t('Import records')}
      onCancel={() => props.onClose(!!report?.committed)}
      footer={null}
      destroyOnHidden
      width={720}
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Paragraph type="secondary">{t('import.explain')}</Typography.Paragraph>
        <input
          type="file"
          accept=".csv,.xlsx"
          aria-label={t('File')}
          onChange={(e) => setFile(e.target.files?.[0])}
          data-testid="import-file"
        />
        <Checkbox checked={skipInvalid} onChange={(e) => setSkipInvalid(e.target.checked)}>
          {t('Keep the good rows when some are invalid')}
        </Checkbox>
        <Select
          allowClear
          placeholder={t('Update existing records by (key)')}
          aria-label={t('Update existing records by (key)')}
          style={{ width: 320 }}
          value={keyField}
          onChange={setKeyField}
          options={props.fields.filter((f) => f.unique).map((f) => ({ value: f.code, label: f.name }))}
        />
        <Button type="primary" disabled={!file || progress !== undefined} onClick={start}>
          {t('Import')}
        </Button>
        {progress !== undefined ? <Progress percent={progress} /> : null}
        {problem ? <Alert type="error" showIcon title={problem} /> : null}
        {report ? (
          <>
            <Alert
              data-testid="import-result"
              type={report.committed ? (report.invalid ? 'warning' : 'success') : 'error'}
              showIcon
              title={`${report.committed ? t('Imported') : t('Nothing imported')}: ${report.rows} ${t('rows')} · ${report.inserted} ${t('new')} · ${report.updated} ${t('updated')} · ${report.unchanged} ${t('unchanged')} · ${report.invalid} ${t('invalid')}`}
            />
            {report.errors.length > 0 ? (
              <Table
                size="small"
                rowKey={(e) => `${e.row}-${e.column}`}
                dataSource={report.errors}
                pagination={{ pageSize: 10, hideOnSinglePage: true }}
                columns={[
                  { title: t('Row'), dataIndex: 'row', width: 70 },
                  { title: t('Column'), dataIndex: 'column' },
                  { title: t('Value'), dataIndex: 'value' },
                  { title: t('Reason'), dataIndex: 'reason' },
                ]}
              />
            ) : null}
          </>
        ) : null}
      </Space>
    </Modal>
  );
}

interface FieldDraft {
  code: string;
  name: string;
  type: string;
  grade: string;
  piiType: string;
  required?: boolean;
  unique?: boolean;
  enumValues?: string;
}

export function NewRegisterPage() {
  const { t, lang } = usePrefs();
  const session = useStaff();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { rows: departments } = useDepartments();
  const { form, run } = useApiForm();
  const manageable = (departments ?? []).filter(
    (d) => canManage(session, d.id) || session.roles.some((r) => r.role === 'data_officer' && r.departmentId === d.id),
  );
  const firstManageable = manageable[0]?.id;
  // Departments arrive after the first render; preselect the user's own once they do.
  useEffect(() => {
    if (firstManageable !== undefined && form.getFieldValue('departmentId') === undefined)
      form.setFieldValue('departmentId', firstManageable);
  }, [firstManageable, form]);
  const submit = async (v: Record<string, unknown>) => {
    const fields = (v.fields as FieldDraft[]).map((f) => ({
      code: f.code,
      name: f.name,
      type: f.type,
      grade: f.grade,
      piiType: f.piiType,
      ...(f.required ? { required: true } : {}),
      ...(f.unique ? { unique: true } : {}),
      ...(f.type === 'enum'
        ? {
            enumValues: String(f.enumValues ?? '')
              .split(/[,，、]/)
              .map((s) => s.trim())
              .filter(Boolean),
          }
        : {}),
    }));
    const sharingType = v.sharingType as string;
    await run(async () => {
      const created = await api<{ code: string }>('POST', '/registry/registers', {
        departmentId: v.departmentId,
        name: v.name,
        attribute: v.attribute,
        ...(v.baseLibrary ? { baseLibrary: v.baseLibrary } : {}),
        classification: { item: v.item, subitem: v.subitem },
        abstract: v.abstract,
        format: 'database',
        secrecy: 'non_classified',
        sharing: {
          type: sharingType,
          ...(sharingType !== 'none' ? { method: 'api' } : {}),
          ...(v.conditions ? { conditions: v.conditions } : {}),
          ...(v.basis ? { basis: v.basis } : {}),
        },
        open: { type: v.openType },
        updateCycle: v.updateCycle,
        publishedOn: new Date().toISOString().slice(0, 10),
        visibility: v.visibility,
        fields,
      });
      message.success(t('Saved'));
      navigate(`/registry/${created.code}`);
    });
  };
  return (
    <Card title={heading(t('Register a resource'))}>
      <Form
        form={form}
        name="register"
        layout="vertical"
        onFinish={submit}
        style={{ maxWidth: 900 }}
        initialValues={{
          attribute: 'departmental',
          item: '01',
          subitem: '001',
          sharingType: 'conditional',
          openType: 'closed',
          updateCycle: 'daily',
          visibility: 'public',

          fields: [{ code: '', name: '', type: 'string', grade: 'general', piiType: 'none' }],
        }}
      >
        <Space wrap align="start">
          <Form.Item
            label={t('Resource name')}
            name="name"
            rules={[{ required: true, message: t('Required') }]}
            style={{ minWidth: 320 }}
          >
            <Input />
          </Form.Item>
          <Form.Item label={t('Provider')} name="departmentId" rules={[{ required: true }]} style={{ minWidth: 240 }}>
            <Select options={manageable.map((d) => ({ value: d.id, label: d.name }))} />
          </Form.Item>
        </Space>
        <Form.Item label={t('Abstract')} name="abstract" rules={[{ required: true, message: t('Required') }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <Space wrap align="start">
          <Form.Item label={t('Resource attribute')} name="attribute">
            <Select style={{ width: 160 }} options={labelOptions(lang, 'attribute')} />
          </Form.Item>
          <Form.Item label={t('Base library')} name="baseLibrary">
            <Select allowClear style={{ width: 200 }} options={labelOptions(lang, 'baseLibrary')} />
          </Form.Item>
          <Form.Item label={t('Item (项)')} name="item" rules={[{ pattern: /^\d{2}$/, message: '2 digits' }]}>
            <Input style={{ width: 80 }} />
          </Form.Item>
          <Form.Item label={t('Subitem (目)')} name="subitem" rules={[{ pattern: /^\d{3}$/, message: '3 digits' }]}>
            <Input style={{ width: 90 }} />
          </Form.Item>
        </Space>
        <Space wrap align="start">
          <Form.Item label={t('Sharing')} name="sharingType">
            <Select style={{ width: 160 }} options={labelOptions(lang, 'sharing')} />
          </Form.Item>
          <Form.Item label={t('Conditions')} name="conditions">
            <Input style={{ width: 260 }} />
          </Form.Item>
          <Form.Item label={t('Basis')} name="basis">
            <Input style={{ width: 260 }} />
          </Form.Item>
        </Space>
        <Space wrap align="start">
          <Form.Item label={t('Open data')} name="openType">
            <Select style={{ width: 160 }} options={labelOptions(lang, 'open')} />
          </Form.Item>
          <Form.Item label={t('Update cycle')} name="updateCycle">
            <Select style={{ width: 120 }} options={labelOptions(lang, 'updateCycle')} />
          </Form.Item>
          <Form.Item label={t('Visibility')} name="visibility">
            <Select
              style={{ width: 120 }}
              options={[
                { value: 'public', label: t('Public') },
                { value: 'internal', label: t('Internal') },
              ]}
            />
          </Form.Item>
        </Space>
        <Typography.Title level={2} style={{ fontSize: '1.1em' }}>
          {t('Data items')}
        </Typography.Title>
        <Form.List name="fields">
          {(items, { add, remove }) => (
            <>
              {items.map((item, i) => (
                <Space key={item.key} wrap align="start" data-testid={`field-${i}`}>
                  <Form.Item
                    name={[item.name, 'code']}
                    rules={[{ required: true, pattern: /^[a-z][a-z0-9_]{0,62}$/, message: 'a-z 0-9 _' }]}
                  >
                    <Input placeholder={t('Code')} aria-label={`${t('Code')} ${i + 1}`} style={{ width: 140 }} />
                  </Form.Item>
                  <Form.Item name={[item.name, 'name']} rules={[{ required: true, message: t('Required') }]}>
                    <Input
                      placeholder={t('Item name')}
                      aria-label={`${t('Item name')} ${i + 1}`}
                      style={{ width: 140 }}
                    />
                  </Form.Item>
                  <Form.Item name={[item.name, 'type']}>
                    <Select
                      aria-label={`${t('Type')} ${i + 1}`}
                      style={{ width: 110 }}
                      options={labelOptions(lang, 'fieldType')}
                    />
                  </Form.Item>
                  <Form.Item name={[item.name, 'enumValues']}>
                    <Input
                      placeholder={t('Choices, comma-separated')}
                      aria-label={`${t('Choices, comma-separated')} ${i + 1}`}
                      style={{ width: 150 }}
                    />
                  </Form.Item>
                  <Form.Item name={[item.name, 'grade']}>
                    <Select
                      aria-label={`${t('Grade')} ${i + 1}`}
                      style={{ width: 90 }}
                      options={labelOptions(lang, 'grade')}
                    />
                  </Form.Item>
                  <Form.Item name={[item.name, 'piiType']}>
                    <Select
                      aria-label={`PII ${i + 1}`}
                      style={{ width: 130 }}
                      options={PII_TYPES.map((p) => ({ value: p, label: p }))}
                    />
                  </Form.Item>
                  <Form.Item name={[item.name, 'required']} valuePropName="checked">
                    <Checkbox>{t('Required')}</Checkbox>
                  </Form.Item>
                  <Form.Item name={[item.name, 'unique']} valuePropName="checked">
                    <Checkbox>{t('Unique')}</Checkbox>
                  </Form.Item>
                  {items.length > 1 ? <Button onClick={() => remove(item.name)}>{t('Remove')}</Button> : null}
                </Space>
              ))}
              <Button onClick={() => add({ code: '', name: '', type: 'string', grade: 'general', piiType: 'none' })}>
                {t('Add a data item')}
              </Button>
            </>
          )}
        </Form.List>
        <div style={{ marginTop: 24 }}>
          <Button type="primary" htmlType="submit">
            {t('Register a resource')}
          </Button>
        </div>
      </Form>
    </Card>
  );
}
