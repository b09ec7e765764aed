// 数据质量: completeness, validity against the current rules, objections, and the per-item fill rates.
import { Alert, Col, Progress, Row, Statistic, Table } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../../shared/api.ts';
import { usePrefs } from '../../shared/prefs.tsx';

interface Quality {
  score: number;
  records: number;
  completeness: number;
  validity: number;
  objectionFree: number;
  fields: Array<{ code: string; name: string; filled: number }>;
  invalidExamples: Array<{ recordId: number; field: string; message: string }>;
  computedAt: string;
}

const pct = (x: number) => Math.round(x * 1000) / 10;

export function QualityPanel({ code, version }: { code: string; version: number }) {
  const { t, date } = usePrefs();
  const [q, setQ] = useState<Quality | null>();
  // `version` changes when records or rules changed: fetch the (recomputed) quality again.
  // biome-ignore lint/correctness/useExhaustiveDependencies: version is the reload trigger.
  useEffect(() => {
    api<Quality>('GET', `/registry/registers/${code}/quality`).then(setQ, () => setQ(null));
  }, [code, version]);
  if (q === undefined) return <Progress type="circle" percent={0} status="active" />;
  if (q === null) return <Alert type="error" title={t('Something went wrong. Please try again.')} />;
  return (
    <div data-testid="quality">
      <Row gutter={[24, 24]} align="middle">
        <Col>
          <Progress type="circle" percent={q.score} format={(p) => `${p}`} aria-label={t('Quality score')} />
        </Col>
        <Col>
          <Statistic title={t('Records')} value={q.records} />
        </Col>
        <Col>
          <Statistic title={t('Completeness')} value={pct(q.completeness)} suffix="%" />
        </Col>
        <Col>
          <Statistic title={t('Validity')} value={pct(q.validity)} suffix="%" />
        </Col>
        <Col>
          <Statistic title={t('Without open objections')} value={pct(q.objectionFree)} suffix="%" />
        </Col>
      </Row>
      <p>
        {t('Computed')} {date(q.computedAt)}
      </p>
      <Table
        size="small"
        rowKey="code"
        pagination={false}
        dataSource={q.fields}
        columns={[
          { title: t('Data item'), dataIndex: 'name' },
          {
            title: t('Filled'),
            dataIndex: 'filled',
            // A plain bar beside the figure: the figure is the content, the bar only decoration.
            render: (v: number) => (
              <div style={{ display: 'flex', alignItems: 'center', gap: 8 }}>
                <div aria-hidden="true" style={{ flex: 1, height: 8, background: '#e5e7eb', borderRadius: 4 }}>
                  <div style={{ width: `${pct(v)}%`, height: '100%', background: '#15803d', borderRadius: 4 }} />
                </div>
                <span style={{ minWidth: 48, textAlign: 'right' }}>{pct(v)}%</span>
              </div>
            ),
          },
        ]}
      />
      {q.invalidExamples.length > 0 ? (
        <Table
          style={{ marginTop: 16 }}
          size="small"
          rowKey={(e) => `${e.recordId}-${e.field}`}
          pagination={false}
          dataSource={q.invalidExamples}
          columns={[
            { title: 'ID', dataIndex: 'recordId', width: 90 },
            { title: t('Data item'), dataIndex: 'field' },
            { title: t('Reason'), dataIndex: 'message' },
          ]}
        />
      ) : null}
    </div>
  );
}
