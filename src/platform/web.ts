// Serves one entry of the single Vite build. Only the files that entry reaches (per Vite's manifest) are served,
// so the public listener never ships the internal workbench's code. Files are held in memory, gzipped once.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { App } from './http.ts';

interface ManifestChunk {
  file: string;
  css?: string[];
  assets?: string[];
  imports?: string[];
  dynamicImports?: string[];
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

interface Asset {
  readonly body: Buffer;
  readonly gzip: Buffer | undefined;
  readonly type: string;
  readonly immutable: boolean;
}

/** The files reachable from an entry: its chunk, imports, dynamic imports, CSS and assets. */
export function entryFiles(manifest: Record<string, ManifestChunk>, entry: string): Set<string> {
  const files = new Set<string>();
  const seen = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || seen.has(key)) return;
    seen.add(key);
    files.add(chunk.file);
    for (const f of [...(chunk.css ?? []), ...(chunk.assets ?? [])]) files.add(f);
    for (const k of [...(chunk.imports ?? []), ...(chunk.dynamicImports ?? [])]) visit(k);
  };
  visit(entry);
  return files;
}

export const WEB_DIST = path.resolve(import.meta.dirname, '../../dist/web');

/** Mounts the single-page app of `entry` ('public' or 'work') at `/`; returns false when the build is missing. */
export function serveWebEntry(app: App, entry: 'public' | 'work', distDir = WEB_DIST): boolean {
  const manifestFile = path.join(distDir, '.vite', 'manifest.json');
  if (!existsSync(manifestFile)) {
    app.log.warn(`web build not found in ${distDir}; run \`npm run build\` (the API still works)`);
    return false;
  }
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<string, ManifestChunk>;
  const html = `web/${entry}/index.html`;
  const assets = new Map<string, Asset>();
  const load = (rel: string, immutable: boolean) => {
    const body = readFileSync(path.join(distDir, rel));
    const type = TYPES[path.extname(rel)] ?? 'application/octet-stream';
    const gzip = /^(text|application\/json|image\/svg)/.test(type) && body.length > 1024 ? gzipSync(body) : undefined;
    return { body, gzip, type, immutable };
  };
  for (const file of entryFiles(manifest, html)) {
    if (!file.endsWith('.html')) assets.set(`/${file}`, load(file, true));
  }
  const index = load(html, false);
  for (const extra of ['favicon.svg']) {
    if (existsSync(path.join(distDir, extra))) assets.set(`/${extra}`, load(extra, false));
  }

  app.get('/*', { schema: { hide: true } }, async (req, reply) => {
    const urlPath = req.url.split('?')[0] ?? '/';
    // API paths and /metrics (served by the internal listener only) are never pages of the app.
    if (urlPath.startsWith('/api/') || urlPath === '/metrics') {
      return reply.status(404).send({
        error: { code: 'route.not_found', message: `No route ${req.method} ${urlPath} on this listener` },
        requestId: req.id,
      });
    }
    const asset = assets.get(urlPath);
    // Unknown paths without an extension are client-side routes of the single-page app.
    if (!asset && path.extname(urlPath) !== '') {
      return reply.status(404).type('text/plain').send('Not found');
    }
    const chosen = asset ?? index;
    reply.type(chosen.type);
    reply.header('cache-control', chosen.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    if (chosen.type.startsWith('text/html')) {
      reply.header(
        'content-security-policy',
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
      );
    }
    if (chosen.gzip && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
      reply.header('content-encoding', 'gzip').header('vary', 'accept-encoding');
      return reply.send(chosen.gzip);
    }
    return reply.send(chosen.body);
  });
  return true;
}
