/**
 * The two lowest network steps, each bounded by a timeout: resolving the host the way Node's
 * http client does (getaddrinfo, so /etc/hosts counts) and opening a TCP connection.
 */
import { promises as dns } from 'node:dns';
import { connect } from 'node:net';
import type { HostLookup } from './types';

export const defaultLookup: HostLookup = (host) => dns.lookup(host, { all: true, verbatim: true });

export type Outcome<T> = ({ ok: true } & T) | { ok: false; error: NodeJS.ErrnoException };

export async function resolveHost(
  host: string,
  lookup: HostLookup,
  timeoutMs: number,
): Promise<Outcome<{ addresses: string[] }>> {
  try {
    const found = await withTimeout(lookup(host), timeoutMs, `resolving ${host}`);
    if (found.length === 0) {
      const err: NodeJS.ErrnoException = new Error(`no address for ${host}`);
      err.code = 'ENOTFOUND';
      return { ok: false, error: err };
    }
    return { ok: true, addresses: found.map((a) => a.address) };
  } catch (err) {
    return { ok: false, error: err as NodeJS.ErrnoException };
  }
}

export function connectTcp(host: string, port: number, timeoutMs: number): Promise<Outcome<{ remote: string }>> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (result: Outcome<{ remote: string }>) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done({ ok: false, error: timeoutError(`connecting to ${host}:${port}`, timeoutMs) }));
    socket.once('connect', () => done({ ok: true, remote: `${socket.remoteAddress}:${socket.remotePort}` }));
    socket.once('error', (error) => done({ ok: false, error }));
  });
}

export function timeoutError(what: string, ms: number): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(`timed out after ${ms} ms ${what}`);
  err.code = 'ETIMEDOUT';
  return err;
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeoutError(what, ms)), ms);
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}
