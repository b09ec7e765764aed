import { Tag } from 'antd';
import { usePrefs } from '../shared/prefs.tsx';

// antd's preset green tag is below 4.5:1 contrast; these colours are above 7:1.
const ACTIVE = { color: '#14532d', background: '#dcfce7', borderColor: '#86efac' };
const INACTIVE = { color: '#374151', background: '#f3f4f6', borderColor: '#d1d5db' };

export function StatusTag({ active }: { active: boolean }) {
  const { t } = usePrefs();
  return <Tag style={active ? ACTIVE : INACTIVE}>{active ? t('Active') : t('Inactive')}</Tag>;
}
