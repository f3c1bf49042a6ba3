/**
 * The window's UI is served from `app://mtls-tray/` by a protocol handler over dist/renderer,
 * not from file://. That gives the page a real origin (so `'self'` in the CSP means our files
 * and nothing else on disk), lets us send the Content-Security-Policy as a response header, and
 * gives the IPC sender check a URL to match. The handler serves only files under the renderer
 * directory with known types; anything else is a 404. No electron import (the Response and
 * Request types are Node's fetch globals, which Electron's protocol.handle uses too).
 */
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

export const UI_SCHEME = 'app';
export const UI_HOST = 'mtls-tray';
export const UI_ORIGIN = `${UI_SCHEME}://${UI_HOST}`;
export const UI_INDEX_URL = `${UI_ORIGIN}/index.html`;

/**
 * The page may load its own scripts, styles and images, and nothing else: no inline script, no
 * eval, no network (it talks to main only through the preload bridge), no frames, no forms.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "media-src 'none'",
  "object-src 'none'",
  "frame-src 'none'",
  "worker-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
};

/** The file under `rootDir` for a UI URL, or null when the URL is not ours or leaves the directory. */
export function uiAssetPath(url: string, rootDir: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== `${UI_SCHEME}:` || u.host !== UI_HOST) return null;
  let rel: string;
  try {
    rel = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  if (rel.includes('\0') || rel.includes('\\')) return null;
  if (rel === '/' || rel === '') rel = '/index.html';
  const parts = rel.split('/').filter((p) => p !== '');
  if (parts.some((p) => p === '..' || p === '.')) return null;
  const full = normalize(join(rootDir, ...parts));
  if (!full.startsWith(normalize(rootDir) + sep)) return null;
  if (!Object.hasOwn(TYPES, extname(full).toLowerCase())) return null;
  return full;
}

export function createUiRequestHandler(rootDir: string, read: (path: string) => Promise<Buffer> = (p) => readFile(p)): (req: Request) => Promise<Response> {
  return async (req) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return new Response('method not allowed', { status: 405, headers: SECURITY_HEADERS });
    const path = uiAssetPath(req.url, rootDir);
    if (path === null) return new Response('not found', { status: 404, headers: SECURITY_HEADERS });
    let body: Buffer;
    try {
      body = await read(path);
    } catch {
      return new Response('not found', { status: 404, headers: SECURITY_HEADERS });
    }
    const type = TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
    return new Response(req.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: { ...SECURITY_HEADERS, 'Content-Type': type, 'Cache-Control': 'no-store' },
    });
  };
}
