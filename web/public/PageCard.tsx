// A narrow card with the page's heading, for the portal's forms (log in, my account).
import { Card } from 'antd';
import type { ReactNode } from 'react';

export function PageCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card
      title={<h1 style={{ fontSize: '1.25em', margin: 0 }}>{title}</h1>}
      style={{ maxWidth: 560, margin: '24px auto' }}
    >
      {children}
    </Card>
  );
}
