// 搜索: the portal's search box with completions as you type (Chinese, pinyin, initials), and the results page
// with facets. Everything comes from GET /api/v1/search and /api/v1/search/suggest.
import { AutoComplete, Input, Tag } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { api } from '../shared/api.ts';
import { Marked } from '../shared/Marked.tsx';
import { usePrefs } from '../shared/prefs.tsx';
import { SearchResults } from '../shared/SearchResults.tsx';

interface Suggestion {
  type: string;
  id: string;
  title: string;
  highlight: string;
  url: string;
}

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
  const [params] = useSearchParams();
  const q = params.get('q') ?? '';
  return (
    <SearchResults
      box={
        <>
          <h1 style={{ fontSize: '1.25em', marginTop: 0 }}>{t('Search')}</h1>
          <SearchBox key={q} initial={q} />
        </>
      }
      link={(h) => h.url}
    />
  );
}
