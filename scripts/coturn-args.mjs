// The one coturn command line Peerline uses on loopback (npm start, e2e, Worker tests): REST-API
// credentials (`--use-auth-secret`, the secret the Worker mints with), no TLS/DTLS/CLI, relaying
// between loopback peers allowed. Each caller picks its own ports, realm and scratch folder.
import { join } from 'node:path';

/**
 * @param {{ ip: string; port: number; minPort: number; maxPort: number; realm: string;
 *           secret: string; dir: string }} o
 * @returns {string[]}
 */
export function coturnArgs(o) {
  return [
    '-n',
    `--listening-ip=${o.ip}`,
    `--relay-ip=${o.ip}`,
    `--listening-port=${o.port}`,
    `--min-port=${o.minPort}`,
    `--max-port=${o.maxPort}`,
    `--realm=${o.realm}`,
    '--fingerprint',
    '--use-auth-secret',
    `--static-auth-secret=${o.secret}`,
    '--allow-loopback-peers',
    '--no-tls',
    '--no-dtls',
    '--no-cli',
    '--no-multicast-peers',
    `--userdb=${join(o.dir, 'turndb')}`,
    `--pidfile=${join(o.dir, 'turnserver.pid')}`,
    '--log-file=stdout',
  ];
}
