// Helpers shared by the workbench's catalog pages.
import type { ReactNode } from 'react';

export const heading = (text: string): ReactNode => <h1 style={{ fontSize: '1.25em', margin: 0 }}>{text}</h1>;
