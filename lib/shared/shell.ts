// POSIX shell quoting: the one way any value reaches a remote shell.

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * Quotes one value for a POSIX shell (sh, dash, bash) so it arrives as a single word, byte-exact.
 * @example quote("it's") // => 'it'\''s'
 */
export function quote(value: string | number): string {
  const text = String(value);
  if (text !== '' && SAFE.test(text)) return text;
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/**
 * Builds one command line from words; every word is quoted, so none is ever parsed by the shell.
 * @example cmd('mkdir', '-p', dir) // => mkdir -p '/opt/my dir'
 */
export function cmd(...words: Array<string | number>): string {
  return words.map(quote).join(' ');
}

/** Wraps a script so it runs as another user through sudo without a password prompt. */
export function becomeWrap(script: string, user = 'root'): string {
  return cmd('sudo', '-H', '-n', '-u', user, 'sh', '-c', script);
}

/**
 * Like becomeWrap, but runs the script directly when the login user already is `user`: a task's `become: true`
 * must work for root logins on hosts without sudo (minimal images, lab hosts). The script is sent once.
 * @example becomeWrapIfNeeded('id -u') // => if [ "$(id -un)" = 'root' ]; then set -- sh -c; else set -- sudo …; fi; exec "$@" 'id -u'
 */
export function becomeWrapIfNeeded(script: string, user = 'root'): string {
  return `if [ "$(id -un)" = ${quote(user)} ]; then set -- sh -c; else set -- ${cmd('sudo', '-H', '-n', '-u', user, 'sh', '-c')}; fi; exec "$@" ${quote(script)}`;
}

/**
 * Quotes a path pattern so that only its `*` and `?` stay active for the shell's filename expansion: every other
 * character (spaces, quotes, `$`, brackets) is quoted, so a pattern can match files but never run anything.
 * @example globQuote('/var/run/rocketmq/rmq-broker-*.pid') // => /var/run/rocketmq/rmq-broker-*.pid
 */
export function globQuote(pattern: string): string {
  return pattern
    .split(/([*?])/)
    .map((piece) => (piece === '*' || piece === '?' ? piece : piece === '' ? '' : quote(piece)))
    .join('');
}
