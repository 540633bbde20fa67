/** A self-signed certificate for localhost and 127.0.0.1, made with openssl for one test. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export interface CertificateFiles {
  cert: string;
  key: string;
}

export function selfSignedCertificate(dir: string, name: string): CertificateFiles {
  const files = { cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) };
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-days', '1',
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', files.key, '-out', files.cert,
  ], { stdio: 'ignore', cwd: dir, env: { ...process.env, RANDFILE: join(dir, '.rnd') } });
  return files;
}
