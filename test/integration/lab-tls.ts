// TLS of the remoting ports on lab hosts: a PEM pair made on a host, and what a TLS client is shown at an address.
import { labExec } from '../../lib/lab/exec.ts';
import { quote } from '../../lib/shared/shell.ts';

/** Where makePair puts a host's pair: the lab host's own /root (a private mount per host). */
export const PAIR = { cert: '/root/rmqd-tls/server.crt', key: '/root/rmqd-tls/server.key' };

/** A self-signed pair for CN=<host> on the host (openssl), as an operator would provide their own. */
export async function makePair(host: string): Promise<void> {
  const made = await labExec(
    host,
    `mkdir -p /root/rmqd-tls && openssl req -x509 -newkey rsa:2048 -nodes -days 2 -batch -subj ${quote(`/CN=${host}`)} ` +
      `-keyout ${PAIR.key} -out ${PAIR.cert} 2>&1`,
  );
  if (made.code !== 0) throw new Error(`${host}: openssl req failed: ${made.stdout}${made.stderr}`);
}

/**
 * The certificate subject a TLS client sees at addr (host:port), asked from a lab host; '' when no TLS handshake
 * completes there (a port without TLS reads the ClientHello as a broken remoting frame and closes).
 */
export async function tlsSubject(from: string, addr: string): Promise<string> {
  const out = await labExec(
    from,
    `echo | timeout 20 openssl s_client -connect ${quote(addr)} 2>&1 | sed -n 's/^subject=//p'`,
  );
  return out.stdout.trim();
}
