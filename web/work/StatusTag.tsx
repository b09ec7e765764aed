import { Tag } from 'antd';
import type { ReactNode } from 'react';
import { usePrefs } from '../shared/prefs.tsx';

// antd's preset green tag is below 4.5:1 contrast; these colours are above 7:1.
const ACTIVE = { color: '#14532d', background: '#dcfce7', borderColor: '#86efac' };
const INACTIVE = { color: '#374151', background: '#f3f4f6', borderColor: '#d1d5db' };

export function StatusTag({ active }: { active: boolean }) {
  const { t } = usePrefs();
  return <Tag style={active ? ACTIVE : INACTIVE}>{active ? t('Active') : t('Inactive')}</Tag>;
}

// The same idea for other states: antd's preset tag colours are below 4.5:1; these tones are above 7:1.
const TONES = {
  ok: ACTIVE,
  neutral: INACTIVE,
  warn: { color: '#713f12', background: '#fef9c3', borderColor: '#fde047' },
  bad: { color: '#7f1d1d', background: '#fee2e2', borderColor: '#fca5a5' },
  info: { color: '#1e3a8a', background: '#dbeafe', borderColor: '#93c5fd' },
} as const;
export type Tone = keyof typeof TONES;

export function ToneTag({ tone, children, title }: { tone: Tone; children: ReactNode; title?: string }) {
  return (
    <Tag style={TONES[tone]} title={title}>
      {children}
    </Tag>
  );
}
