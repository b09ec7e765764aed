// Import of a CSV or XLSX file into a register, with upload progress and the row-by-row report.
import { Alert, Button, Checkbox, Modal, Progress, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { currentCsrfToken } from '../../shared/api.ts';
import type { CatalogRegister } from '../../shared/catalog.ts';
import { importReason } from '../../shared/i18n.ts';
import { usePrefs } from '../../shared/prefs.tsx';

interface ImportReport {
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  invalid: number;
  committed: boolean;
  errors: Array<{
    row: number;
    column: string;
    value: string;
    reason: string;
    rule?: string;
    limit?: string | number;
    list?: string;
  }>;
}
export function ImportDialog(props: {
  open: boolean;
  code: string;
  fields: CatalogRegister['metadata']['fields'];
  onClose: (changed: boolean) => void;
}) {
  const { t, lang } = usePrefs();
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
                  { title: t('Reason'), render: (_: unknown, e) => importReason(lang, e) },
                ]}
              />
            ) : null}
          </>
        ) : null}
      </Space>
    </Modal>
  );
}
