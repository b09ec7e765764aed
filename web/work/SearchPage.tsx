// 全文检索 (internal): services, the whole catalog, records and staff — only what this staff member may read.
import { Alert, Button, Card, Input, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { ApiError, api } from '../shared/api.ts';
import { usePrefs } from '../shared/prefs.tsx';
import { type SearchHit, SearchResults } from '../shared/SearchResults.tsx';
import { isPlatformAdmin, useStaff } from './session.ts';

/** Where a hit opens in the workbench (services are managed on the portal's side: shown, not linked). */
const link = (hit: SearchHit) =>
  hit.type === 'service' ? undefined : hit.type === 'catalog' ? `/registry/${hit.id}` : hit.url;

export function SearchPage() {
  const { t } = usePrefs();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const q = params.get('q') ?? '';
  const session = useStaff();
  return (
    <>
      <SearchResults
        link={link}
        box={
          <>
            <h1 style={{ fontSize: '1.25em', marginTop: 0 }}>{t('Search')}</h1>
            <Input.Search
              key={q}
              defaultValue={q}
              aria-label={t('Search records, staff and services')}
              placeholder={t('Search records, staff and services')}
              enterButton={t('Search')}
              size="large"
              onSearch={(v) => v.trim() && navigate(`/search?q=${encodeURIComponent(v.trim())}`)}
            />
          </>
        }
      />
      {isPlatformAdmin(session) ? <SynonymsCard /> : null}
    </>
  );
}

/** 同义词表: how people say it ↔ how items are named; a change reaches every search at once (platform admin). */
function SynonymsCard() {
  const { t } = usePrefs();
  const [groups, setGroups] = useState<{ id: number; terms: string[] }[]>();
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string>();
  const [misses, setMisses] = useState<{ query: string; count: number }[]>([]);
  const load = useCallback(() => {
    api<{ id: number; terms: string[] }[]>('GET', '/search/synonyms').then(setGroups, () => setGroups([]));
    api<{ query: string; count: number }[]>('GET', '/search/misses').then(setMisses, () => setMisses([]));
  }, []);
  useEffect(load, [load]);
  const add = async () => {
    setError(undefined);
    try {
      await api('POST', '/search/synonyms', { terms: draft.split(/[,，、\s]+/).filter(Boolean) });
      setDraft('');
      load();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  };
  return (
    <Card title={t('Synonyms')} style={{ marginTop: 24 }}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Space.Compact style={{ width: '100%', maxWidth: 560 }}>
          <Input
            aria-label={t('New synonym group')}
            placeholder={t('Terms that mean the same, e.g. 户口，户籍')}
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            onPressEnter={add}
          />
          <Button type="primary" onClick={add}>
            {t('Add')}
          </Button>
        </Space.Compact>
        {error ? <Alert type="error" showIcon message={error} /> : null}
        {misses.length ? (
          <div data-testid="search-misses">
            <Typography.Text strong>{t('Portal searches that found nothing (30 days)')}</Typography.Text>
            <div style={{ marginTop: 8 }}>
              <Space wrap>
                {misses.map((m) => (
                  <Button
                    key={m.query}
                    size="small"
                    onClick={() => setDraft((d) => (d ? `${d}，${m.query}` : m.query))}
                  >
                    {m.query} ×{m.count}
                  </Button>
                ))}
              </Space>
            </div>
          </div>
        ) : null}
        <Space wrap>
          {(groups ?? []).map((g) => (
            <Tag key={g.id}>
              {g.terms.join(' / ')}
              <Button
                type="link"
                size="small"
                aria-label={`${t('Remove')} ${g.terms.join(' / ')}`}
                onClick={() => api('DELETE', `/search/synonyms/${g.id}`).then(load, load)}
              >
                ×
              </Button>
            </Tag>
          ))}
        </Space>
      </Space>
    </Card>
  );
}
