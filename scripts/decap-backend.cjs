#!/usr/bin/env node
// The web editor's local backend (invoke edit): decap-server's git middleware, started by us on 127.0.0.1 only.
//
// decap-server has no login: whoever reaches it can write to the repository. So this launcher
//   - listens on 127.0.0.1 (decap-server's own entry point listens on every interface unless BIND_HOST is set);
//   - answers only requests addressed to 127.0.0.1 or localhost (a page on another name that resolves here, DNS
//     rebinding, gets 403) and, for the browser, only the editor's own page (CORS: ORIGIN);
//   - refuses any path outside the content folder, or hidden (decap-server itself only keeps paths inside the repository);
//   - refuses to write while the working tree has changes nobody committed: decap-server commits with `git add .`
//     and switches branches in that tree, which would carry them into an article's commit.
//
// Usage: node scripts/decap-backend.cjs REPOSITORY CONTENT_FOLDER PORT ORIGIN
// (CONTENT_FOLDER relative to REPOSITORY, e.g. "content"; ORIGIN the editor page's, e.g. http://127.0.0.1:8000).
'use strict';

const path = require('path');
const { execFileSync } = require('child_process');

const [repository, contentFolder, portText, origin] = process.argv.slice(2);
if (!repository || !contentFolder || !portText || !origin) {
  console.error('Cách dùng: node scripts/decap-backend.cjs KHO_GIT THƯ_MỤC_NỘI_DUNG CỔNG ĐỊA_CHỈ_TRANG_SOẠN_THẢO');
  process.exit(2);
}
const port = Number(portText);
const HOST = '127.0.0.1';
const root = path.resolve(repository);
const content = path.posix.normalize(contentFolder.split(path.sep).join('/')).replace(/\/+$/, '');

// decap-server's dependencies, found from decap-server itself (not hoisted by chance).
const server = require.resolve('decap-server/dist/middlewares');
const fromServer = (name) => require(require.resolve(name, { paths: [path.dirname(server)] }));
const express = fromServer('express');
const cors = fromServer('cors');
const { registerLocalGit } = require(server);

// The parameters of decap-server's actions that name files or folders.
const PATH_KEYS = new Set(['path', 'newPath', 'folder', 'mediaFolder']);
const WRITES = new Set(['persistEntry', 'persistMedia', 'deleteFile', 'deleteFiles', 'updateUnpublishedEntryStatus',
  'publishUnpublishedEntry', 'deleteUnpublishedEntry']);

function pathsIn(value, found = []) {
  if (Array.isArray(value)) value.forEach((item) => pathsIn(item, found));
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (PATH_KEYS.has(key) && typeof item === 'string') found.push(item);
      else if (key === 'paths' && Array.isArray(item)) item.forEach((p) => found.push(String(p)));
      else pathsIn(item, found);
    }
  }
  return found;
}

// Inside the content folder, and no hidden file or folder (a name starting with "."): the site never publishes those.
function insideContent(file) {
  const normal = path.posix.normalize(String(file).split('\\').join('/'));
  const inside = !path.posix.isAbsolute(normal) && (normal === content || normal.startsWith(content + '/'));
  return inside && !normal.slice(content.length).split('/').some((part) => part.startsWith('.'));
}

function uncommitted() {
  const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: root, encoding: 'utf8' });
  return status.split('\n').filter(Boolean).map((line) => line.slice(3));
}

function refuse(response, status, message) {
  response.status(status).json({ error: message });
}

const app = express();
app.disable('x-powered-by');
app.use((request, response, next) => {
  const host = String(request.headers.host || '');
  if (host !== `${HOST}:${port}` && host !== `localhost:${port}`) return refuse(response, 403, 'Máy chủ này chỉ phục vụ trên máy này.');
  return next();
});
app.use(cors({ origin }));
app.use(express.json({ limit: '50mb' }));
app.post('/api/v1', (request, response, next) => {
  const body = request.body || {};
  const outside = pathsIn(body.params).filter((file) => !insideContent(file));
  if (outside.length) {
    return refuse(response, 403, `Trình soạn thảo chỉ ghi tệp trong thư mục ${content}/ và không ghi tệp ẩn (tên bắt đầu ` +
      `bằng dấu chấm) — từ chối: ${outside.join(', ')}`);
  }
  if (WRITES.has(body.action)) {
    const changed = uncommitted();
    if (changed.length) {
      return refuse(response, 409, 'Kho bài có thay đổi chưa lưu vào git (' + changed.slice(0, 5).join(', ') +
        (changed.length > 5 ? '…' : '') + ') — hãy lưu (commit) hoặc bỏ chúng rồi thử lại, để chúng không lẫn vào bài này.');
    }
  }
  return next();
});

process.env.GIT_REPO_DIRECTORY = root;
registerLocalGit(app, { logLevel: process.env.LOG_LEVEL || 'warn' }).then(() => {
  const listener = app.listen(port, HOST, () => {
    const address = listener.address();
    console.log(`decap-backend: ${address.address}:${address.port}`);
  });
  const stop = () => listener.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // The editor (invoke edit) holds this pipe open: when it ends, however it ended, so does this server.
  process.stdin.on('end', stop);
  process.stdin.resume();
}).catch((error) => {
  console.error(`Không khởi động được máy chủ cục bộ của trình soạn thảo: ${error.message}`);
  process.exit(1);
});
