/**
 * Entry point of the window's script (bundled to dist/renderer/index.js). The only way out of
 * the page is `window.mtlsTray`, which the preload exposes; without it (opened outside the
 * app) the page says so instead of failing silently.
 */
import type { MtlsTrayApi } from '../main/ipc/contract';
import { createApi } from './api';
import { startApp } from './app';
import { h, mount } from './dom';

declare global {
  interface Window {
    mtlsTray?: MtlsTrayApi;
  }
}

function boot(): void {
  performance.mark('mtls-tray:boot'); // for bench/renderer: script start to first view
  const root = document.getElementById('app');
  if (!root) return;
  const bridge = window.mtlsTray;
  if (!bridge) {
    mount(root, h('main', { class: 'view' }, h('h1', null, 'mtls-tray'), h('p', { role: 'alert' }, 'This page runs inside the mtls-tray app only: the connection to the app (window.mtlsTray) is missing.')));
    return;
  }
  startApp(root, createApi(bridge));
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
else boot();
