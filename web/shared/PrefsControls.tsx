import { Segmented, Space, Switch, Typography } from 'antd';
import { usePrefs } from './prefs.tsx';

/** Language switch and the large-text mode toggle, shown in every page header. */
export function PrefsControls({ dark = false }: { dark?: boolean }) {
  const { lang, setLang, largeText, setLargeText, t } = usePrefs();
  const color = dark ? '#ffffff' : undefined;
  return (
    <Space size="middle" wrap>
      <Space size={6}>
        <Typography.Text style={{ color }} id="zt-large-label">
          {t('Large text')}
        </Typography.Text>
        <Switch checked={largeText} onChange={setLargeText} aria-labelledby="zt-large-label" data-testid="large-text" />
      </Space>
      <Segmented
        aria-label={t('Language')}
        value={lang}
        onChange={(v) => setLang(v as 'zh' | 'en')}
        options={[
          { label: '中文', value: 'zh' },
          { label: 'EN', value: 'en' },
        ]}
      />
    </Space>
  );
}
