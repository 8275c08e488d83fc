/**
 * The dashboard's access rules (issue 16):
 * - It binds 127.0.0.1 unless told otherwise; beyond loopback every request needs the access token.
 * - Every state-changing request (POST) needs the token too, plus a CSRF token derived from it (HMAC, embedded in the
 *   forms of pages served to a holder of the token) and, when the browser sends one, an Origin equal to the page's.
 * - The token reaches the browser once, through the printed `?token=` URL: the server moves it into an HttpOnly,
 *   SameSite=Strict cookie and redirects to the same path without it, so it stays out of history and Referer.
 * - On loopback the Host header must name this server (a DNS-rebinding page cannot ride the local port).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';

export const TOKEN_COOKIE = 'pgml_dashboard_token';

export function generateToken(): string {
  return randomBytes(24).toString('base64url');
}

/** 127.0.0.0/8, ::1 and `localhost`: only this machine can connect. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

export interface AccessRules {
  token: string;
  /** Reads need the token (the server listens beyond loopback). */
  readsNeedToken: boolean;
  /** Host header values accepted; undefined: any (bound beyond loopback, where the token guards). */
  allowedHosts?: ReadonlySet<string>;
}

export function csrfToken(token: string): string {
  return createHmac('sha256', token).update('pgml-dashboard-csrf').digest('base64url');
}

function same(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Whether the request carries the token (cookie or `Authorization: Bearer`). */
export function hasToken(c: Context, token: string): boolean {
  const bearer = c.req.header('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1];
  return same(getCookie(c, TOKEN_COOKIE), token) || same(bearer, token);
}

function refuse(c: Context, status: 400 | 401 | 403, message: string): Response {
  return c.text(`${message}\n`, status, { 'cache-control': 'no-store' });
}

export function accessControl(rules: AccessRules): MiddlewareHandler {
  return async (c, next) => {
    const host = c.req.header('host');
    if (rules.allowedHosts && (!host || !rules.allowedHosts.has(host.toLowerCase()))) {
      return refuse(c, 400, 'unexpected Host header');
    }
    const url = new URL(c.req.url);
    const offered = url.searchParams.get('token');
    if (offered !== null && c.req.method === 'GET') {
      if (!same(offered, rules.token)) return refuse(c, 401, 'wrong token');
      setCookie(c, TOKEN_COOKIE, rules.token, { httpOnly: true, sameSite: 'Strict', path: '/' });
      url.searchParams.delete('token');
      return c.redirect(`${url.pathname}${url.search}`, 303);
    }
    const authorised = hasToken(c, rules.token);
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      if (!authorised) return refuse(c, 401, 'this action needs the dashboard token: open the URL pgml dashboard printed');
      const origin = c.req.header('origin');
      if (origin !== undefined && host !== undefined && origin !== `${url.protocol}//${host}`) return refuse(c, 403, 'cross-origin request refused');
      const form = await c.req.parseBody();
      if (!same(typeof form.csrf === 'string' ? form.csrf : undefined, csrfToken(rules.token))) return refuse(c, 403, 'missing or wrong CSRF token');
    } else if (rules.readsNeedToken && !authorised) {
      return refuse(c, 401, 'this dashboard needs its token: open the URL pgml dashboard printed');
    }
    c.set('authorised', authorised);
    await next();
  };
}

export type DashboardEnv = { Variables: { authorised: boolean } };
