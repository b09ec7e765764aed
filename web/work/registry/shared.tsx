// Helpers shared by the workbench's catalog pages.
import type { ReactNode } from 'react';
import { CATALOG_LABELS, catalogLabel } from '../../shared/catalog-labels.ts';

export const heading = (text: string): ReactNode => <h1 style={{ fontSize: '1.25em', margin: 0 }}>{text}</h1>;
export const labelOptions = (lang: 'zh' | 'en', kind: keyof typeof CATALOG_LABELS) =>
  Object.keys(CATALOG_LABELS[kind] ?? {}).map((v) => ({ value: v, label: catalogLabel(lang, kind, v) }));
