#!/usr/bin/env node
// Plain JavaScript so that the version guard runs (and explains itself) before any TypeScript is loaded.
import '../scripts/check-node.js';

await import('../src/main.ts');
