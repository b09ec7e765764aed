// A simple chart of an open dataset's numeric column (ECharts, loaded only when a dataset page has one): the first
// 50 rows, labelled by the first text column, the column chosen from the dictionary's numeric fields. The chart has
// an ARIA description, and the same numbers are in the preview table beside it.
import { Card, Select, Space } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { usePrefs } from '../shared/prefs.tsx';

interface Field {
  name: string;
  title: string;
  type: string;
}

const NUMERIC = new Set(['integer', 'number']);

export function DatasetChart(props: {
  fields: readonly Field[];
  load: (fields: string[]) => Promise<Array<Record<string, unknown>>>;
}) {
  const { t } = usePrefs();
  const numeric = useMemo(() => props.fields.filter((f) => NUMERIC.has(f.type)), [props.fields]);
  const label = useMemo(() => props.fields.find((f) => f.type === 'string'), [props.fields]);
  const [column, setColumn] = useState(numeric[0]?.name);
  const box = useRef<HTMLDivElement>(null);
  const { load } = props;
  useEffect(() => {
    if (!column || !box.current) return;
    const element = box.current;
    let disposed = false;
    let chart: { dispose(): void; resize(): void } | undefined;
    const resize = () => chart?.resize();
    void (async () => {
      const [echarts, rows] = await Promise.all([
        import('./echarts.ts'),
        load([...(label ? [label.name] : []), column]),
      ]);
      if (disposed) return;
      const instance = echarts.init(element, undefined, { renderer: 'svg' });
      chart = instance;
      const title = numeric.find((f) => f.name === column)?.title ?? column;
      instance.setOption({
        aria: { enabled: true },
        tooltip: { trigger: 'axis' },
        grid: { left: 48, right: 16, top: 16, bottom: 64 },
        xAxis: {
          type: 'category',
          data: rows.map((r, i) => String((label ? r[label.name] : undefined) ?? i + 1)),
          axisLabel: { rotate: 30, color: '#1f1f1f' },
        },
        yAxis: { type: 'value', name: title, axisLabel: { color: '#1f1f1f' } },
        series: [
          { type: 'bar', name: title, data: rows.map((r) => Number(r[column] ?? 0)), itemStyle: { color: '#1d39c4' } },
        ],
      });
      window.addEventListener('resize', resize);
    })();
    return () => {
      disposed = true;
      window.removeEventListener('resize', resize);
      chart?.dispose();
    };
  }, [column, label, load, numeric]);
  if (numeric.length === 0) return null;
  return (
    <Card
      title={t('Chart')}
      extra={
        numeric.length > 1 ? (
          <Space>
            <Select
              aria-label={t('Column to chart')}
              value={column}
              onChange={setColumn}
              style={{ width: 200 }}
              options={numeric.map((f) => ({ value: f.name, label: f.title }))}
            />
          </Space>
        ) : null
      }
    >
      <div ref={box} data-testid="dataset-chart" style={{ width: '100%', height: 320 }} />
    </Card>
  );
}
