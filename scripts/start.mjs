// `npm start`: opens the desktop app. Where the Electron binary is missing (it could not be
// downloaded) or cannot open a window (no display), says so in one sentence and serves the same UI
// in the browser instead, on 127.0.0.1 only, opening it when this machine has a browser to open.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireNode } from './require-node.mjs';
import { ensureBuild } from './ensure-build.mjs';

const ROOT = join(import.meta.dirname, '..');

/** The Electron executable, or the reason the desktop window cannot open here. */
function electronOrReason() {
  const pathFile = join(ROOT, 'node_modules', 'electron', 'path.txt');
  const binary = existsSync(pathFile)
    ? join(ROOT, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim())
    : null;
  if (!binary || !existsSync(binary))
    return { reason: 'the Electron binary is not installed (it could not be downloaded)' };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)
    return { reason: 'there is no display to open a window on' };
  return { binary };
}

function browserOpener() {
  if (process.platform === 'darwin') return ['open'];
  if (process.platform === 'win32') return ['cmd', '/c', 'start', '""'];
  if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return null;
  return spawnSync('which', ['xdg-open']).status === 0 ? ['xdg-open'] : null;
}

function serveInBrowser(reason) {
  console.log(`The desktop window cannot open because ${reason}; Foresight runs in your browser instead.`);
  const server = spawn(process.execPath, [join(ROOT, 'src', 'web', 'serve.ts'), ...process.argv.slice(2)], {
    cwd: ROOT,
    stdio: ['inherit', 'pipe', 'inherit'],
  });
  server.stdout.setEncoding('utf8');
  server.stdout.on('data', (text) => {
    process.stdout.write(text);
    const url = /^Foresight web preview: (\S+)$/m.exec(text)?.[1];
    if (!url) return;
    const opener = browserOpener();
    if (opener) spawn(opener[0], [...opener.slice(1), url], { stdio: 'ignore', detached: true }).unref();
    else console.log('Open that address in a browser on this machine; press Ctrl+C to stop.');
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
  server.on('exit', (code) => process.exit(code ?? 0));
}

requireNode();
ensureBuild();
const desktop = electronOrReason();
if (desktop.reason) serveInBrowser(desktop.reason);
else {
  const app = spawn(desktop.binary, [ROOT, ...process.argv.slice(2)], { cwd: ROOT, stdio: 'inherit' });
  app.on('error', (error) => serveInBrowser(`Electron could not start (${error.message})`));
  app.on('exit', (code) => process.exit(code ?? 0));
}
