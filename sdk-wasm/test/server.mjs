// A static file server for the Chromium runs, bound to 127.0.0.1 on a port the OS picks (never a
// fixed one). `mounts` maps URL prefixes ('/pkg/') to folders, `files` exact URL paths to files.
// Responses are cross-origin isolated (COOP/COEP), so performance.now() is precise in the page.
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.ts': 'text/plain; charset=utf-8',
};

export async function serve({ mounts = {}, files = {} }) {
  const requests = [];
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const pathname = decodeURIComponent(url.pathname);
    requests.push(pathname);
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
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
