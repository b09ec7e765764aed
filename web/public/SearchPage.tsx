// 搜索: the portal's search box with completions as you type (Chinese, pinyin, initials), and the results page
// with facets. Everything comes from GET /api/v1/search and /api/v1/search/suggest.
import {
  AutoComplete,
  Card,
  Checkbox,
  Col,
  Empty,
  Input,
  List,
  Pagination,
  Row,
  Skeleton,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api } from '../shared/api.ts';
import { Marked } from '../shared/Marked.tsx';
import { usePrefs } from '../shared/prefs.tsx';

interface Suggestion {
  type: string;
  id: string;
  title: string;
  highlight: string;
  url: string;
}

interface SearchResponse {
  total: number;
  hits: (Suggestion & { snippet: string; facets: Record<string, string> })[];
  facets: Record<string, { value: string; count: number }[]>;
}

const FACET_ORDER = ['type', 'subplatform', 'department', 'region', 'level'] as const;

/** The search box: completions while typing; Enter (or the button) opens the results page. */
export function SearchBox({ initial = '', autoFocus = false }: { initial?: string; autoFocus?: boolean }) {
  const { t } = usePrefs();
  const navigate = useNavigate();
  const [value, setValue] = useState(initial);
  const [options, setOptions] = useState<{ value: string; label: React.ReactNode; url: string }[]>([]);
  const latest = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  // rc-select points aria-activedescendant at option "-1" (which does not exist) while no option is active;
  // assistive technology would follow a dangling reference, so the attribute goes until an option is active.
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const input = box.current?.querySelector('input');
    if (!input) return;
    const fix = () => {
      if (input.getAttribute('aria-activedescendant')?.endsWith('_-1')) input.removeAttribute('aria-activedescendant');
    };
    const observer = new MutationObserver(fix);
    observer.observe(input, { attributes: true, attributeFilter: ['aria-activedescendant'] });
    fix();
    return () => observer.disconnect();
  }, []);

  const complete = (text: string) => {
    clearTimeout(timer.current);
    const q = text.trim();
    if (!q) {
      setOptions([]);
      return;
    }
    // A short pause between keystrokes, and only the latest answer counts.
    timer.current = setTimeout(() => {
      const ticket = ++latest.current;
      api<Suggestion[]>('GET', `/search/suggest?q=${encodeURIComponent(q)}`).then(
        (list) => {
          if (ticket !== latest.current) return;
          setOptions(
            list.map((s) => ({
              value: `${s.type}:${s.id}`,
              url: s.url,
              label: (
                <span data-testid="suggestion">
                  <Marked html={s.highlight} />
                  <Tag style={{ marginInlineStart: 8 }}>{t(`search.type.${s.type}`)}</Tag>
                </span>
              ),
            })),
          );
        },
        () => {},
      );
    }, 120);
  };
  const go = (text: string) => {
    const q = text.trim();
    if (q) navigate(`/search?q=${encodeURIComponent(q)}`);
  };
  return (
    <div ref={box}>
      <AutoComplete
        value={value}
        options={options}
        onChange={(v) => setValue(v)}
        onSearch={complete}
        // Enter searches what was typed; a completion is taken only when chosen (arrow keys or a click).
        defaultActiveFirstOption={false}
        onSelect={(_v, option) => {
          setValue('');
          navigate((option as { url: string }).url);
        }}
        style={{ width: '100%' }}
      >
        <Input.Search
          aria-label={t('Search services')}
          placeholder={t('Search services, e.g. 社保卡, 公积金提取')}
          enterButton={t('Search')}
          size="large"
          autoFocus={autoFocus}
          onSearch={go}
        />
      </AutoComplete>
    </div>
  );
}

export function SearchPage() {
  const { t } = usePrefs();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const page = Number(params.get('page') ?? '1') || 1;
  const chosen = params.getAll('facet');
  const [result, setResult] = useState<SearchResponse | 'error'>();

  const facetQuery = chosen.join('\n');
  useEffect(() => {
    if (!q.trim()) {
      setResult({ total: 0, hits: [], facets: {} });
      return;
    }
    setResult(undefined);
    const query = new URLSearchParams({ q, page: String(page) });
    for (const f of facetQuery.split('\n').filter(Boolean)) query.append('facet', f);
    api<SearchResponse>('GET', `/search?${query}`).then(setResult, () => setResult('error'));
  }, [q, page, facetQuery]);

  const update = (facet: string, values: string[]) => {
    const next = new URLSearchParams({ q });
    for (const f of chosen) if (!f.startsWith(`${facet}:`)) next.append('facet', f);
    for (const v of values) next.append('facet', `${facet}:${v}`);
    setParams(next);
  };
  const facetLabel = (facet: string, value: string) => (facet === 'type' ? t(`search.type.${value}`) : value);

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card>
        <h1 style={{ fontSize: '1.25em', marginTop: 0 }}>{t('Search')}</h1>
        <SearchBox key={q} initial={q} />
      </Card>
      {result === undefined ? (
        <Skeleton active />
      ) : result === 'error' ? (
        <Empty description={t('Search is unavailable just now; please try again.')} />
      ) : (
        <Row gutter={[24, 24]}>
          <Col xs={24} md={7}>
            {FACET_ORDER.filter((f) => (result.facets[f]?.length ?? 0) > 0).map((facet) => (
              <Card key={facet} size="small" title={t(`search.facet.${facet}`)} style={{ marginBottom: 12 }}>
                <Checkbox.Group
                  aria-label={t(`search.facet.${facet}`)}
                  style={{ display: 'flex', flexDirection: 'column', gap: 4 }}
                  value={chosen.filter((f) => f.startsWith(`${facet}:`)).map((f) => f.slice(facet.length + 1))}
                  onChange={(values) => update(facet, values as string[])}
                  options={(result.facets[facet] ?? []).map((v) => ({
                    value: v.value,
                    label: `${facetLabel(facet, v.value)} (${v.count})`,
                  }))}
                />
              </Card>
            ))}
          </Col>
          <Col xs={24} md={17}>
            <Typography.Paragraph data-testid="search-total">
              {t('search.found')} {result.total} {t('search.results')}
            </Typography.Paragraph>
            {result.hits.length === 0 ? (
              <Empty description={t('Nothing found. Try other words, pinyin or initials (e.g. sbk for 社保卡).')} />
            ) : (
              <List
                dataSource={result.hits}
                renderItem={(h) => (
                  <List.Item>
                    <List.Item.Meta
                      title={
                        <Space wrap>
                          <Link to={h.url} data-testid="search-hit">
                            <Marked html={h.highlight} />
                          </Link>
                          <Tag>{t(`search.type.${h.type}`)}</Tag>
                        </Space>
                      }
                      description={
                        <>
                          {h.snippet ? (
                            <Typography.Paragraph style={{ marginBottom: 4 }}>
                              <Marked html={h.snippet} />
                            </Typography.Paragraph>
                          ) : null}
                          <span>{[h.facets.department, h.facets.subplatform].filter(Boolean).join(' · ')}</span>
                        </>
                      }
                    />
                  </List.Item>
                )}
              />
            )}
            {result.total > 10 ? (
              <Pagination
                current={page}
                total={Math.min(result.total, 500)}
                pageSize={10}
                showSizeChanger={false}
                onChange={(p) => {
                  const next = new URLSearchParams(params);
                  next.set('page', String(p));
                  setParams(next);
                }}
              />
            ) : null}
          </Col>
        </Row>
      )}
    </Space>
  );
}
