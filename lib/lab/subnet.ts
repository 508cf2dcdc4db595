// Pure lab addressing: which /24 prefixes the lab may use, host addresses, and the names of lab links and namespaces.
import process from 'node:process';
import { LabError } from './lab-error.ts';

/**
 * Which lab this process works on (RMQD_LAB_ID, 0–9, default 0). Separate labs have separate bridges, prefixes,
 * namespaces and state, so a benchmark and a test suite can each have one at the same time.
 */
export const LAB_ID = labId(process.env.RMQD_LAB_ID);

function labId(text: string | undefined): number {
  if (text === undefined || text === '') return 0;
  if (!/^\d$/.test(text))
    throw new LabError(`RMQD_LAB_ID must be one digit from 0 to 9, got "${text}"`);
  return Number(text);
}

/** The bridge every lab host hangs off; the only interface in the root namespace the lab creates. */
export const BRIDGE = `rmqlab${LAB_ID}`;
export const DEFAULT_PREFIX = `10.77.${LAB_ID}`;
/** Host i (0-based) gets .11, .12, …; .1 is the bridge (gateway) address. */
const FIRST_HOST_OCTET = 11;
export const MAX_HOSTS = 200;

const NAME = /^[a-z][a-z0-9-]{0,29}$/;

/**
 * Checks that a prefix names a private /24 the lab may own: 10.77.X by default, or any 10.X.Y or 192.168.Y.
 * @throws LabError when it is malformed or public
 * @example validatePrefix('10.77.3') // => '10.77.3'
 */
export function validatePrefix(prefix: string): string {
  const octets = prefix.split('.');
  const numbers = octets.map((o) => (/^\d{1,3}$/.test(o) ? Number(o) : NaN));
  const wellFormed = octets.length === 3 && numbers.every((n) => n >= 0 && n <= 255);
  const [a, b] = numbers;
  const isPrivate = a === 10 || (a === 192 && b === 168);
  if (!wellFormed || !isPrivate) {
    throw new LabError(
      `Cannot use lab prefix "${prefix}": give the first three octets of a private /24, such as 10.77.0 (10.X.Y or 192.168.Y)`,
    );
  }
  return numbers.join('.');
}

export const gatewayAddress = (prefix: string): string => `${prefix}.1`;
export const hostAddress = (prefix: string, index: number): string =>
  `${prefix}.${FIRST_HOST_OCTET + index}`;
export const netnsName = (host: string): string =>
  LAB_ID === 0 ? `rmqlab-${host}` : `rmqlab${LAB_ID}-${host}`;
/** Interface names are limited to 15 bytes, so the root-side veth end is named by index, not host name. */
export const vethName = (index: number): string => `${BRIDGE}v${index}`;

/**
 * Resolves `lab up` host arguments: a count gives mq1…mqN, a list is checked as hostnames.
 * @throws LabError for a bad count, a bad or duplicate name
 * @example hostNames(2) // => ['mq1', 'mq2']
 */
export function hostNames(hosts: number | readonly string[]): string[] {
  if (typeof hosts === 'number') {
    if (!Number.isInteger(hosts) || hosts < 1 || hosts > MAX_HOSTS) {
      throw new LabError(
        `Cannot create ${hosts} lab hosts: give a whole number from 1 to ${MAX_HOSTS}`,
      );
    }
    return Array.from({ length: hosts }, (_, i) => `mq${i + 1}`);
  }
  if (hosts.length < 1 || hosts.length > MAX_HOSTS)
    throw new LabError(`Cannot create ${hosts.length} lab hosts: give 1 to ${MAX_HOSTS} names`);
  const seen = new Set<string>();
  for (const name of hosts) {
    if (!NAME.test(name)) {
      throw new LabError(
        `Cannot use lab host name "${name}": use lowercase letters, digits and "-", starting with a letter, at most 30 characters`,
      );
    }
    if (seen.has(name)) throw new LabError(`Cannot use lab host name "${name}" twice`);
    seen.add(name);
  }
  return [...hosts];
}

/** Parses an IPv4 route destination ("default", "10.0.0.0/8", "192.0.2.7") into [network, bits]. */
function parseDestination(destination: string): [number, number] | undefined {
  if (destination === 'default') return undefined;
  const [address = '', bits = '32'] = destination.split('/');
  const octets = address.split('.').map(Number);
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o))) return undefined;
  const value = octets.reduce((acc, o) => acc * 256 + o, 0);
  return [value, Number(bits)];
}

/**
 * Finds the routes in `ip -4 route show` output (any table) that overlap the lab /24, ignoring default routes.
 * @returns the overlapping route lines; empty when the prefix is free
 */
export function overlappingRoutes(routeTable: string, prefix: string): string[] {
  const lab = parseDestination(`${prefix}.0/24`);
  if (!lab) return [];
  return routeTable.split('\n').filter((line) => {
    const words = line.trim().split(/\s+/);
    // Lines may start with a route type such as "local" or "broadcast" before the destination.
    const destination = /^\d/.test(words[0] ?? '') ? words[0] : words[1];
    const route = destination ? parseDestination(destination) : undefined;
    if (!route) return false;
    const bits = Math.min(route[1], 24);
    const size = 2 ** (32 - bits);
    return Math.floor(route[0] / size) === Math.floor(lab[0] / size);
  });
}
