// Tags whose text meets WCAG AA contrast (4.5:1): antd's preset green and orange tags do not, so our tags name their
// colours. Shared by the portal and the workbench.
import { Tag } from 'antd';
import type { ReactNode } from 'react';

const TONES = {
  green: { color: '#135200', background: '#f6ffed', borderColor: '#95de64' },
  orange: { color: '#873800', background: '#fff7e6', borderColor: '#ffc069' },
  red: { color: '#820014', background: '#fff1f0', borderColor: '#ff7875' },
} as const;

export function ToneTag(props: { tone: keyof typeof TONES; children: ReactNode }) {
  return <Tag style={TONES[props.tone]}>{props.children}</Tag>;
}

/** 无条件开放 / 有条件开放 of an open dataset. */
export function AccessTag(props: { access: 'open' | 'conditional'; t: (text: string) => string }) {
  return props.access === 'conditional' ? (
    <ToneTag tone="orange">{props.t('Open on conditions')}</ToneTag>
  ) : (
    <ToneTag tone="green">{props.t('Open')}</ToneTag>
  );
}
