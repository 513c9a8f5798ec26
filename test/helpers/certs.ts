import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCerts {
  dir: string;
  caFile: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  read(file: string): Buffer;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: 'ignore' });
}

/** A throwaway CA with a server certificate for 127.0.0.1 and a client certificate with CN `clientCn`. */
export function makeTestCerts(clientCn: string): TestCerts {
  const dir = mkdtempSync(join(tmpdir(), 'osproxy-certs-'));
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-subj', '/CN=osproxy-test-ca', '-days', '2'], dir);
  for (const [name, cn] of [['server', 'localhost'], ['client', clientCn]]) {
    openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`], dir);
    const ext = name === 'server' ? ['-extfile', 'san.ext'] : [];
    openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '2', ...ext], dir);
  }
  const at = (f: string): string => join(dir, f);
  return {
    dir,
    caFile: at('ca.crt'),
    serverCert: at('server.crt'),
    serverKey: at('server.key'),
    clientCert: at('client.crt'),
    clientKey: at('client.key'),
    read: (file) => readFileSync(file),
  };
}
