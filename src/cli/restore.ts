// `zhengtong restore FILE [--force]` (see backup.ts).
export { restore as run } from './backup.ts';
