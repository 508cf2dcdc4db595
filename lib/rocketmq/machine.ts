// One machine under several spellings: localhost, 127.0.0.1 (any 127/8 address), ::1 and a local connection are one
// machine for the port and store-path collision checks; host names compare without case or a trailing dot.

export const LOOPBACK_MACHINE = 'this machine (loopback)';

/**
 * The key of the machine an address names.
 * @example machineOf('127.0.0.1') === machineOf('localhost') // => true
 * @example machineOf('MQ1.example.') // => 'mq1.example'
 */
export function machineOf(address: string, connection?: unknown): string {
  const name = address.trim().toLowerCase().replace(/\.$/, '');
  if (connection === 'local') return LOOPBACK_MACHINE;
  if (
    /^(localhost|localhost\.localdomain|ip6-localhost|ip6-loopback|::1|0\.0\.0\.0|0:0:0:0:0:0:0:1)$/.test(
      name,
    )
  )
    return LOOPBACK_MACHINE;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name)) return LOOPBACK_MACHINE;
  return name;
}
