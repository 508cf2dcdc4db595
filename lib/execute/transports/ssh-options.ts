// How one host is reached over SSH: its settings (from Ansible-named host vars), ssh's options, and ssh's own words.

/** Where and how to reach one host over SSH (from its Ansible-named host vars, see connect.ts). */
export interface SshSettings {
  /** Inventory name, for messages. */
  name: string;
  /** Address or DNS name to connect to. */
  address: string;
  port?: number;
  user?: string;
  identityFile?: string;
  /** ProxyJump value, e.g. "admin@bastion:2222". */
  jumpHost?: string;
  /** False only for lab hosts whose keys change: then no known_hosts is read or written. @default true */
  strictHostKeyChecking?: boolean;
  knownHostsFile?: string;
  /** @default 10 */
  connectTimeoutS?: number;
  /** Run every script through sudo as becomeUser. @default false */
  become?: boolean;
  /** @default 'root' */
  becomeUser?: string;
}

/** The last lines of ssh's stderr: where it says why it could not connect. */
export function stderrTail(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  return lines.slice(-3).join(' | ') || 'ssh exited with code 255 and said nothing';
}

/**
 * One line naming the connection, for --list-hosts and error messages.
 * @example describeSsh({ name: 'a', address: '10.77.0.11', user: 'root' }) // => ssh root@10.77.0.11:22
 */
export function describeSsh(s: SshSettings): string {
  const who = s.user === undefined ? '' : `${s.user}@`;
  const via = s.jumpHost === undefined ? '' : ` via ${s.jumpHost}`;
  const become = s.become ? ` become ${s.becomeUser ?? 'root'}` : '';
  return `ssh ${who}${s.address}:${s.port ?? 22}${via}${become}`;
}

/** ssh options shared by the master and every client: identity, trust, timeouts, never a prompt. */
export function sshOptions(s: SshSettings): string[] {
  const args = ['-o', 'BatchMode=yes', '-o', `ConnectTimeout=${s.connectTimeoutS ?? 10}`];
  args.push('-o', 'ServerAliveInterval=15', '-o', 'ServerAliveCountMax=3');
  if (s.strictHostKeyChecking === false) {
    // Lab hosts get new keys on every start; accept-new would refuse a changed key, so trust nothing and record nothing.
    args.push(
      '-o',
      'StrictHostKeyChecking=no',
      '-o',
      'UserKnownHostsFile=/dev/null',
      '-o',
      'LogLevel=ERROR',
    );
  } else {
    args.push('-o', 'StrictHostKeyChecking=yes');
    if (s.knownHostsFile !== undefined) args.push('-o', `UserKnownHostsFile=${s.knownHostsFile}`);
  }
  if (s.port !== undefined) args.push('-p', String(s.port));
  if (s.user !== undefined) args.push('-l', s.user);
  // Only the named key: agents with many keys otherwise hit "Too many authentication failures".
  if (s.identityFile !== undefined) args.push('-i', s.identityFile, '-o', 'IdentitiesOnly=yes');
  if (s.jumpHost !== undefined) args.push('-J', s.jumpHost);
  return args;
}
