// Preflight of the remoting ports' TLS (rocketmq_tls_*): a mode RocketMQ and this tool both work with, and a PEM pair
// given whole. RocketMQ reads an unknown tls.server.mode as permissive without a word (TlsMode.parse), so a typo here
// would quietly serve TLS.
import type { Vars } from '../shared/types.ts';

/** The modes a deploy may declare. enforcing is left out on purpose: see ENFORCING_REFUSED. */
export const TLS_SERVER_MODES = ['disabled', 'permissive'] as const;

const ENFORCING_REFUSED =
  "enforcing (TLS only) is not supported: this tool's gates, status and message checks, and each broker's own " +
  'client of the name servers, speak plain text to the remoting ports; use permissive (clients choose TLS or plain)';

/** What the check needs of one host: its resolved variables and where a variable was set (", set in f:l:c" or ''). */
export interface TlsHost {
  host: string;
  vars: Vars;
  at: (variable: string) => string;
}

const text = (value: unknown): string =>
  value === undefined || value === null ? '' : String(value);

/** The certificate pair's errors on one host: both or neither, absolute paths (the JVMs run in the install folder). */
function pairErrors({ host, vars, at }: TlsHost): string[] {
  const files = ['rocketmq_tls_cert_file', 'rocketmq_tls_key_file'] as const;
  const [cert, key] = files.map((name) => text(vars[name]));
  if (cert === '' && key === '') return [];
  if (cert === '' || key === '') {
    const [given, missing] = cert === '' ? [files[1], files[0]] : [files[0], files[1]];
    return [
      `host ${host}: ${given}${at(given)} is set but ${missing} is empty; give both files of the pair, or neither (RocketMQ's self-signed test mode)`,
    ];
  }
  return files
    .filter((name) => !text(vars[name]).startsWith('/'))
    .map(
      (name) =>
        `host ${host}: ${name}: ${JSON.stringify(text(vars[name]))}${at(name)} must be an absolute path on the host`,
    );
}

/**
 * Every TLS declaration error of the hosts, at once.
 * @example tlsErrors([{ host: 'mq1', vars: { rocketmq_tls_server_mode: 'disable' }, at: () => '' }])
 *   // => ['host mq1: rocketmq_tls_server_mode: "disable" is not a mode; use disabled or permissive']
 */
export function tlsErrors(hosts: TlsHost[]): string[] {
  return hosts.flatMap((h) => {
    // Not set at all: the role default (rocketmq-common) applies.
    if (h.vars.rocketmq_tls_server_mode === undefined) return [];
    const mode = text(h.vars.rocketmq_tls_server_mode);
    const where = `host ${h.host}: rocketmq_tls_server_mode: ${JSON.stringify(mode)}${h.at('rocketmq_tls_server_mode')}`;
    if (mode === 'enforcing') return [`${where}: ${ENFORCING_REFUSED}`];
    if (!(TLS_SERVER_MODES as readonly string[]).includes(mode))
      return [`${where} is not a mode; use ${TLS_SERVER_MODES.join(' or ')}`];
    return mode === 'permissive' ? pairErrors(h) : [];
  });
}
