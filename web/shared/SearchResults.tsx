// The results of a search with its facets, shared by the portal and the workbench (the same API answer on both
// zones). The query, page and chosen facets live in the URL, so results can be linked and the back button works.
import { Card, Checkbox, Col, Empty, List, Pagination, Row, Skeleton, Space, Tag, Typography } from 'antd';
import { type ReactNode, useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from './api.ts';
import { Marked } from './Marked.tsx';
import { usePrefs } from './prefs.tsx';

export interface SearchHit {
  type: string;
  id: string;
  title: string;
  highlight: string;
  snippet: string;
  url: string;
  facets: Record<string, string>;
}

interface SearchResponse {
  total: number;
  hits: SearchHit[];
  facets: Record<string, { value: string; count: number }[]>;
}

const FACET_ORDER = ['type', 'subplatform', 'department', 'region', 'level'] as const;

/** Runs the search in the URL (`q`, `page`, `facet`) and shows facets and hits; `link` says where a hit leads. */
export function SearchResults({ box, link }: { box: ReactNode; link: (hit: SearchHit) => string | undefined }) {
  const { t } = usePrefs();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const page = Number(params.get('page') ?? '1') || 1;
  const chosen = params.getAll('facet');
  const [result, setResult] = useState<SearchResponse | 'error'>();
  // While a new answer loads, the old one stays (dimmed) so facets do not jump under the pointer.
  const [loading, setLoading] = useState(false);

  const facetQuery = chosen.join('\n');
  useEffect(() => {
    if (!q.trim()) {
      setResult({ total: 0, hits: [], facets: {} });
      return;
    }
    setLoading(true);
    const query = new URLSearchParams({ q, page: String(page) });
    for (const f of facetQuery.split('\n').filter(Boolean)) query.append('facet', f);
    api<SearchResponse>('GET', `/search?${query}`)
      .then(setResult, () => setResult('error'))
      .finally(() => setLoading(false));
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
      <Card>{box}</Card>
      {result === undefined ? (
        <Skeleton active />
      ) : result === 'error' ? (
        <Empty description={t('Search is unavailable just now; please try again.')} />
      ) : (
        <Row gutter={[24, 24]} aria-busy={loading} style={{ opacity: loading ? 0.6 : 1 }}>
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
                          {link(h) ? (
                            <Link to={link(h) ?? ''} data-testid="search-hit">
                              <Marked html={h.highlight} />
                            </Link>
                          ) : (
                            <strong data-testid="search-hit">
                              <Marked html={h.highlight} />
                            </strong>
                          )}
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
