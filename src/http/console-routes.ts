import fs from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';
import { REPO_ROOT } from '../config/repo-root.js';
import { routeRegistry, type RouteSpec } from './route.js';

/** Where the console's build (src/console, built by `npm run build`) lands. */
export const CONSOLE_DIR = path.join(REPO_ROOT, 'build', 'console');

/**
 * No script but the console's own files, no inline script, nothing framed; styles may be inline
 * because the JSON editor injects its theme as <style> elements.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * GET /console/: the staff console's static files, no key needed to load them (every API call the
 * console makes carries the key the person signed in with). Hashed assets are cached for good;
 * index.html never, so a new build is picked up at once.
 */
export function consoleRoutes(): Router {
  const router = Router();
  const spec: RouteSpec = {
    method: 'get',
    path: '/console/',
    summary: 'The staff console (static files; every API call it makes carries the signed-in key)',
    tag: 'Console',
    roles: 'public',
    responses: { 200: { description: 'The console page', contentType: 'text/html' } },
  };
  if (!routeRegistry.some((known) => known.path === spec.path)) routeRegistry.push(spec);
  router.use('/console', (req, res, next) => {
    res.setHeader('Content-Security-Policy', CONSOLE_CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    if (req.path === '/' && !req.originalUrl.split('?')[0]!.endsWith('/')) return res.redirect(301, '/console/');
    if (!fs.existsSync(path.join(CONSOLE_DIR, 'index.html'))) {
      res.status(503).json({ error: { code: 'UNAVAILABLE', message: 'The console is not built: run npm run build.', details: [] } });
      return;
    }
    next();
  });
  router.use(
    '/console',
    express.static(CONSOLE_DIR, {
      index: 'index.html',
      redirect: false,
      setHeaders: (res, file) => {
        res.setHeader('Cache-Control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    }),
  );
  return router;
}
