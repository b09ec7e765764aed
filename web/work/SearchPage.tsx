// 全文检索 (internal): services, the whole catalog, records and staff — only what this staff member may read.
import { Input } from 'antd';
import { useNavigate, useSearchParams } from 'react-router';
import { usePrefs } from '../shared/prefs.tsx';
import { type SearchHit, SearchResults } from '../shared/SearchResults.tsx';

/** Where a hit opens in the workbench (services are managed on the portal's side: shown, not linked). */
const link = (hit: SearchHit) =>
  hit.type === 'service' ? undefined : hit.type === 'catalog' ? `/registry/${hit.id}` : hit.url;

export function SearchPage() {
  const { t } = usePrefs();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const q = params.get('q') ?? '';
  return (
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
  );
}
