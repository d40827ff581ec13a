// A static file server for the Chromium runs and the checkout example, bound to 127.0.0.1 on a port
// the OS picks (never a fixed one) unless `port` names one. `mounts` maps URL prefixes ('/pkg/') to
// folders, `files` exact URL paths to files, `routes` URL paths (exact, or a prefix ending in '/') to
// `async (req, body, rest) => [status, value]` handlers whose value is sent as JSON.
// Responses are cross-origin isolated (COOP/COEP), so performance.now() is precise in the page.
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.ts': 'text/plain; charset=utf-8',
};

export async function serve({ mounts = {}, files = {}, routes = {}, port = 0 }) {
  const requests = [];
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const pathname = decodeURIComponent(url.pathname);
    requests.push(pathname);
    const route = Object.entries(routes).find(([p]) => (p.endsWith('/') ? pathname.startsWith(p) : pathname === p));
    if (route) {
      const [prefix, handle] = route;
      const chunks = [];
      for await (const chunk of req) chunks.push(chunk);
      let status;
      let value;
      try {
        const text = Buffer.concat(chunks).toString('utf8');
        [status, value] = await handle(req, text ? JSON.parse(text) : null, pathname.slice(prefix.length));
      } catch (e) {
        [status, value] = [e.status ?? (e instanceof SyntaxError ? 400 : 500), { error: e.message, code: e.code ?? 'server_error' }];
      }
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(value));
      return;
    }
    let file = files[pathname];
    if (file === undefined) {
      for (const [prefix, dir] of Object.entries(mounts)) {
        if (pathname.startsWith(prefix)) {
          const root = path.resolve(dir);
          const candidate = path.resolve(root, `.${pathname.slice(prefix.length - 1)}`);
          if (candidate.startsWith(root + path.sep)) file = candidate;
          break;
        }
      }
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    try {
      if (file === undefined) throw new Error('not mounted');
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-embedder-policy': 'require-corp',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${pathname}\n`);
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const bound = server.address().port;
  return {
    url: `http://127.0.0.1:${bound}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
