// Publishing from a file in the workbench: choose the file (CSV, XLSX or JSON), see the dictionary the server
// inferred and edit it (which columns go out, their names, titles, types, units; personal columns stay home unless
// a mobile-number column is confirmed as public contact numbers), describe the dataset, publish. For a dataset made
// from files, the same dialog releases its next version from a new file.
import { Alert, Button, Checkbox, Form, Input, Modal, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { LICENCES, THEMES } from '../../../src/modules/opendata/vocabulary.ts';
import { ApiError, api, currentCsrfToken } from '../../shared/api.ts';
import { label, labelOptions } from '../../shared/i18n.ts';
import { usePrefs } from '../../shared/prefs.tsx';
import { ToneTag } from '../../shared/tags.tsx';
import { useDepartments } from '../data.ts';
import { isPlatformAdmin, useStaff } from '../session.ts';

type FieldType = 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'datetime';
interface InferredField {
  source: string;
  name: string;
  title: string;
  type: FieldType;
  piiType?: 'resident_id' | 'phone';
}
interface Staged {
  id: string;
  filename: string;
  rowCount: number;
  header: string[];
  dictionary: { fields: InferredField[]; primaryKey?: string[] };
  sample: string[][];
}
interface Row extends InferredField {
  include: boolean;
  unit: string;
  notPersonal: boolean;
}

const TYPES: FieldType[] = ['string', 'integer', 'number', 'boolean', 'date', 'datetime'];
const MEDIA: Record<string, string> = {
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  json: 'application/json',
};

/** Publish a file as a new dataset, or (with `dataset`) release a file-made dataset's next version. */
export function UploadDialog(props: {
  open: boolean;
  dataset?: { name: string; title: string };
  onClose: (changed: boolean) => void;
}) {
  const { t, lang } = usePrefs();
  const session = useStaff();
  const departments = useDepartments().rows ?? [];
  const publishers = departments.filter(
    (d) =>
      isPlatformAdmin(session) ||
      session.roles.some(
        (r) => (r.role === 'data_officer' || r.role === 'department_admin') && r.departmentId === d.id,
      ),
  );
  const [department, setDepartment] = useState<number>();
  const [encoding, setEncoding] = useState<'utf-8' | 'gb18030'>('utf-8');
  const [staged, setStaged] = useState<Staged>();
  const [rows, setRows] = useState<Row[]>([]);
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm();

  const close = (changed: boolean) => {
    setStaged(undefined);
    setRows([]);
    setProblem(undefined);
    props.onClose(changed);
  };
  const fail = (e: unknown) =>
    setProblem(e instanceof ApiError ? e.message : t('Something went wrong. Please try again.'));

  const upload = async (file: File) => {
    const format = file.name.toLowerCase().split('.').pop() ?? '';
    if (!MEDIA[format]) return setProblem(t('Choose a CSV, XLSX or JSON file'));
    const dept = department ?? publishers[0]?.id;
    if (!dept) return setProblem(t('You publish for no department'));
    setBusy(true);
    setProblem(undefined);
    try {
      const q = new URLSearchParams({ department: String(dept), format, filename: file.name.slice(0, 200) });
      if (format === 'csv') q.set('encoding', encoding);
      const res = await fetch(`/api/v1/opendata/uploads?${q}`, {
        method: 'POST',
        headers: { 'content-type': MEDIA[format] ?? 'application/octet-stream', 'x-csrf-token': currentCsrfToken() },
        credentials: 'same-origin',
        body: file,
      });
      const body = (await res.json()) as Staged & { error?: { code: string; message: string } };
      if (!res.ok) throw new ApiError(res.status, body.error?.code ?? 'http', body.error?.message ?? res.statusText);
      setStaged(body);
      setRows(body.dictionary.fields.map((f) => ({ ...f, include: !f.piiType, unit: '', notPersonal: false })));
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };

  const dictionary = () => ({
    fields: rows
      .filter((r) => r.include)
      .map((r) => ({
        source: r.source,
        name: r.name,
        title: r.title,
        type: r.type,
        ...(r.unit ? { unit: r.unit } : {}),
        ...(r.piiType === 'phone' && r.notPersonal ? { notPersonal: true } : {}),
      })),
    ...(staged?.dictionary.primaryKey && rows.some((r) => r.include && r.name === staged.dictionary.primaryKey?.[0])
      ? { primaryKey: staged.dictionary.primaryKey }
      : {}),
  });
  const edit = (i: number, patch: Partial<Row>) => setRows(rows.map((r, k) => (k === i ? { ...r, ...patch } : r)));

  const publish = async () => {
    if (!staged) return;
    setBusy(true);
    setProblem(undefined);
    try {
      if (props.dataset) {
        await api('POST', `/opendata/datasets/${props.dataset.name}/versions`, {
          upload: staged.id,
          dictionary: dictionary(),
        });
      } else {
        const { tags, ...values } = await form.validateFields();
        await api('POST', '/opendata/datasets/from-upload', {
          ...values,
          upload: staged.id,
          tags: String(tags ?? '')
            .split(/[,，、\s]+/)
            .filter(Boolean),
          dictionary: dictionary(),
        });
      }
      close(true);
    } catch (e) {
      if (!(e instanceof ApiError) && (e as { errorFields?: unknown }).errorFields) return; // the form shows it
      fail(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={props.open}
      title={props.dataset ? `${t('New version from a file')}：${props.dataset.title}` : t('Publish a file')}
      onCancel={() => close(false)}
      width={900}
      destroyOnHidden
      footer={
        staged ? (
          <Button type="primary" loading={busy} onClick={publish}>
            {props.dataset ? t('Release') : t('Publish')}
          </Button>
        ) : null
      }
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        {!staged && (
          <>
            <Typography.Paragraph type="secondary">{t('opendata.upload.explain')}</Typography.Paragraph>
            {!props.dataset && publishers.length > 1 && (
              <Select
                aria-label={t('Department')}
                style={{ width: 320 }}
                value={department ?? publishers[0]?.id}
                onChange={setDepartment}
                options={publishers.map((d) => ({ value: d.id, label: d.shortName ?? d.name }))}
              />
            )}
            <Select
              aria-label={t('Encoding of a CSV file')}
              style={{ width: 320 }}
              value={encoding}
              onChange={setEncoding}
              options={[
                { value: 'utf-8', label: 'UTF-8' },
                { value: 'gb18030', label: t('GB18030 (GBK, as Excel saves it)') },
              ]}
            />
            <input
              type="file"
              aria-label={t('File')}
              accept=".csv,.xlsx,.json"
              disabled={busy}
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (file) void upload(file);
              }}
            />
          </>
        )}
        {problem && <Alert type="error" showIcon message={problem} />}
        {staged && (
          <>
            <Typography.Text>
              {staged.filename} · {t('Rows')}：{staged.rowCount}
            </Typography.Text>
            <Table<Row>
              size="small"
              rowKey="source"
              pagination={false}
              dataSource={rows}
              columns={[
                {
                  title: t('Publish column'),
                  render: (_: unknown, r, i) => (
                    <Checkbox
                      aria-label={`${t('Publish column')} ${r.source}`}
                      checked={r.include}
                      disabled={r.piiType === 'resident_id'}
                      onChange={(e) => edit(i, { include: e.target.checked })}
                    />
                  ),
                },
                { title: t('Column in the file'), dataIndex: 'source' },
                {
                  title: t('Field name'),
                  render: (_: unknown, r, i) => (
                    <Input
                      aria-label={`${t('Field name')} ${r.source}`}
                      value={r.name}
                      onChange={(e) => edit(i, { name: e.target.value })}
                    />
                  ),
                },
                {
                  title: t('Title'),
                  render: (_: unknown, r, i) => (
                    <Input
                      aria-label={`${t('Title')} ${r.source}`}
                      value={r.title}
                      onChange={(e) => edit(i, { title: e.target.value })}
                    />
                  ),
                },
                {
                  title: t('Type'),
                  render: (_: unknown, r, i) => (
                    <Select<FieldType>
                      aria-label={`${t('Type')} ${r.source}`}
                      style={{ width: 110 }}
                      value={r.type}
                      onChange={(type) => edit(i, { type })}
                      options={TYPES.map((v) => ({
                        value: v,
                        label: label(lang, 'fieldType', v === 'number' ? 'decimal' : v),
                      }))}
                    />
                  ),
                },
                {
                  title: t('Unit'),
                  render: (_: unknown, r, i) => (
                    <Input
                      aria-label={`${t('Unit')} ${r.source}`}
                      style={{ width: 80 }}
                      value={r.unit}
                      onChange={(e) => edit(i, { unit: e.target.value })}
                    />
                  ),
                },
                {
                  title: t('Personal information'),
                  render: (_: unknown, r, i) =>
                    r.piiType === 'phone' ? (
                      <Checkbox checked={r.notPersonal} onChange={(e) => edit(i, { notPersonal: e.target.checked })}>
                        {t('Public contact numbers')}
                      </Checkbox>
                    ) : r.piiType ? (
                      <ToneTag tone="red">{label(lang, 'piiType', r.piiType)}</ToneTag>
                    ) : null,
                },
              ]}
            />
            {!props.dataset && (
              <Form
                form={form}
                layout="vertical"
                initialValues={{
                  theme: 'government',
                  licenseId: 'cc-by-4.0',
                  access: 'open',
                  updateCycle: 'irregular',
                }}
              >
                <Space wrap align="start">
                  <Form.Item label={t('Title')} name="title" rules={[{ required: true, message: t('Required') }]}>
                    <Input style={{ width: 260 }} />
                  </Form.Item>
                  <Form.Item
                    label={t('URL name')}
                    name="name"
                    rules={[{ required: true, pattern: /^[a-z0-9][a-z0-9_-]{1,99}$/, message: 'a-z 0-9 - _' }]}
                  >
                    <Input style={{ width: 200 }} />
                  </Form.Item>
                  <Form.Item label={t('Opening')} name="access">
                    <Select
                      style={{ width: 140 }}
                      options={[
                        { value: 'open', label: t('Open') },
                        { value: 'conditional', label: t('Open on conditions') },
                      ]}
                    />
                  </Form.Item>
                  <Form.Item label={t('Update cycle')} name="updateCycle">
                    <Select style={{ width: 120 }} options={labelOptions(lang, 'updateCycle')} />
                  </Form.Item>
                  <Form.Item label={t('Theme')} name="theme">
                    <Select style={{ width: 140 }} options={THEMES.map((v) => ({ value: v.name, label: v.title }))} />
                  </Form.Item>
                  <Form.Item label={t('Licence')} name="licenseId">
                    <Select style={{ width: 220 }} options={LICENCES.map((v) => ({ value: v.id, label: v.title }))} />
                  </Form.Item>
                  <Form.Item label={t('Tags')} name="tags">
                    <Input style={{ width: 200 }} />
                  </Form.Item>
                </Space>
                <Form.Item label={t('Description')} name="notes">
                  <Input.TextArea rows={2} />
                </Form.Item>
              </Form>
            )}
          </>
        )}
      </Space>
    </Modal>
  );
}
