// User preferences that persist: language and the large-text, high-contrast mode for elderly users (适老化).
import { App as AntApp, ConfigProvider, theme } from 'antd';
import enUSModule from 'antd/es/locale/en_US.js';
import type { Locale } from 'antd/es/locale/index.js';
import zhCNModule from 'antd/es/locale/zh_CN.js';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { errorText, formatDate, type LabelKind, type Lang, label, roleLabel, translate } from './i18n.ts';

interface Prefs {
  readonly lang: Lang;
  readonly largeText: boolean;
  setLang(lang: Lang): void;
  setLargeText(on: boolean): void;
  t(text: string): string;
  role(role: string): string;
  error(code: string, fallback: string): string;
  date(iso: string | null | undefined): string;
  /** A vocabulary value (PII type, ledger entry type, sharing type, …) in the reader's language. */
  label(kind: LabelKind, value: string | null | undefined): string;
}

// antd's ES locale files are typed as CommonJS under Node resolution; the bundler hands us the object itself.
const unwrap = (m: unknown): Locale => ((m as { default?: Locale }).default ?? m) as Locale;
const zhCN = unwrap(zhCNModule);
const enUS = unwrap(enUSModule);

const PrefsContext = createContext<Prefs | undefined>(undefined);

function stored<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
  const v = typeof localStorage === 'undefined' ? null : localStorage.getItem(key);
  return v && (allowed as readonly string[]).includes(v) ? (v as T) : fallback;
}

export function PrefsProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(() => stored('zt.lang', ['zh', 'en'], 'zh'));
  const [largeText, setLargeState] = useState(() => stored('zt.large', ['1', '0'], '0') === '1');
  const setLang = useCallback((l: Lang) => {
    localStorage.setItem('zt.lang', l);
    setLangState(l);
  }, []);
  const setLargeText = useCallback((on: boolean) => {
    localStorage.setItem('zt.large', on ? '1' : '0');
    setLargeState(on);
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.documentElement.classList.toggle('zt-large', largeText);
  }, [lang, largeText]);
  const value = useMemo<Prefs>(
    () => ({
      lang,
      largeText,
      setLang,
      setLargeText,
      t: (text) => translate(lang, text),
      role: (r) => roleLabel(lang, r),
      error: (code, fallback) => errorText(lang, code, fallback),
      date: (iso) => formatDate(lang, iso),
      label: (kind, value) => label(lang, kind, value),
    }),
    [lang, largeText, setLang, setLargeText],
  );
  // Large text: 20 px base and near-black text on white, well above 4.5:1 contrast.
  const tokens = largeText
    ? {
        fontSize: 20,
        colorText: '#000000',
        colorTextSecondary: '#1f1f1f',
        colorTextDescription: '#1f1f1f',
        colorTextTertiary: '#1f1f1f',
        colorTextPlaceholder: '#404040',
        colorPrimary: '#0033a0',
        colorLink: '#0033a0',
        colorError: '#991b1b',
        controlHeight: 44,
        lineHeight: 1.7,
      }
    : // antd's default secondary and description greys are below 4.5:1 on white; these are about 7:1.
      {
        colorPrimary: '#1d4ed8',
        colorLink: '#1d4ed8',
        colorError: '#b91c1c',
        colorTextSecondary: '#4b5563',
        colorTextDescription: '#4b5563',
        colorTextTertiary: '#4b5563',
        colorTextPlaceholder: '#6b7280',
      };
  return (
    <PrefsContext.Provider value={value}>
      <ConfigProvider locale={lang === 'zh' ? zhCN : enUS} theme={{ algorithm: theme.defaultAlgorithm, token: tokens }}>
        <AntApp>{children}</AntApp>
      </ConfigProvider>
    </PrefsContext.Provider>
  );
}

export function usePrefs(): Prefs {
  const prefs = useContext(PrefsContext);
  if (!prefs) throw new Error('usePrefs outside PrefsProvider');
  return prefs;
}
