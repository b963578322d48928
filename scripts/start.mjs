// `npm start`: the whole app locally, no account and no internet: the web app (Vite) and the
// signaling Worker under `wrangler dev` (workerd), stopped together with Ctrl-C.
import { spawn } from 'node:child_process';

const env = {
  ...process.env,
  WRANGLER_SEND_METRICS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
};
const procs = [
  spawn('npx', ['wrangler', 'dev', '--ip', '127.0.0.1', '--port', '8787'], {
    cwd: 'signaling-worker',
    stdio: 'inherit',
    env,
  }),
  spawn('npx', ['vite', '--host', '127.0.0.1', '--port', '5173'], { stdio: 'inherit', env }),
];
console.log('Peerline: app on http://127.0.0.1:5173, signaling on http://127.0.0.1:8787');
let stopping = false;
function stop(code) {
  if (stopping) return;
  stopping = true;
  for (const p of procs) p.kill('SIGTERM');
  process.exit(code);
}
for (const p of procs) p.on('exit', (code) => stop(code ?? 1));
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
