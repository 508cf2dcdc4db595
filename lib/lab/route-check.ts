// The route check before connecting to a lab host: the address is the lab's and the kernel routes it straight to the bridge.
import { runCommand } from '../execute/transports/spawn.ts';
import { LabError } from './lab-error.ts';
import { readState } from './state.ts';
import { BRIDGE, gatewayAddress } from './subnet.ts';

const IPV4 = /^(?:\d{1,3}\.){3}\d{1,3}$/;

/**
 * Why the kernel's route to `address` (one line of `ip -o route get`) is not straight through the bridge, if it is not.
 * @example routeProblem('10.77.0.11', '10.77.0.11 dev rmqlab0 src 10.77.0.1 uid 0 \\    cache') // => undefined
 */
export function routeProblem(address: string, route: string | undefined): LabError | undefined {
  const words = (route ?? '').trim().split(/\s+/);
  const device = /\bdev (\S+)/.exec(route ?? '')?.[1];
  // `ip -o route get A` starts with A (or "local A", "broadcast A"): a line about another address is not an answer.
  if (words.slice(0, 2).includes(address) && device === BRIDGE && !/\bvia\b/.test(route ?? ''))
    return undefined;
  const seen = route === undefined ? 'no route' : `its route is "${route.split('\\')[0]?.trim()}"`;
  return new LabError(
    `Refusing to connect to ${address}: ${seen}, not directly through ${BRIDGE}; run "lab down" and "lab up" again`,
  );
}

/**
 * Checks every address at once (one state read, one `ip -batch` process): each must be a lab host or the lab gateway,
 * and this machine must route it straight through the lab bridge, so no test traffic can leave the machine.
 * @returns per address, undefined when it may be connected to, else the LabError saying why not
 * @throws LabError when the lab is down or `ip` cannot answer
 * @example await checkLabRoutes(['10.77.0.11', '8.8.8.8']) // => [undefined, LabError(…not a lab address…)]
 */
export async function checkLabRoutes(addresses: string[]): Promise<(LabError | undefined)[]> {
  const state = await readState();
  if (!state)
    throw new LabError(
      `Refusing to connect to ${addresses.join(', ')}: the lab is not up (run "lab up" first)`,
    );
  const known = [gatewayAddress(state.prefix), ...state.hosts.map((h) => h.address)];
  const answers: (LabError | undefined)[] = addresses.map((address) =>
    known.includes(address) && IPV4.test(address)
      ? undefined
      : new LabError(
          `Refusing to connect to ${address}: it is not a lab address (lab hosts: ${known.slice(1).join(', ')})`,
        ),
  );
  const asked = addresses.filter((_, i) => answers[i] === undefined);
  if (asked.length === 0) return answers;
  // Only addresses from the lab's own state file reach `ip`, one dotted quad per line (checked above).
  const lookup = await runCommand(['ip', '-o', '-batch', '-'], {
    stdin: asked.map((a) => `route get ${a}\n`).join(''),
    timeoutMs: 30_000,
  });
  if (lookup.code !== 0)
    throw new LabError(`Cannot look up the routes to ${asked.join(', ')}: ${lookup.stderr.trim()}`);
  const routes = lookup.stdout.split('\n').filter((line) => line.trim() !== '');
  return addresses.map(
    (address, i) => answers[i] ?? routeProblem(address, routes[asked.indexOf(address)]),
  );
}

/**
 * One address: checkLabRoutes for a single host (lab ssh, lab exec).
 * @throws LabError when the lab is down, the address is not the lab's, or the route goes elsewhere
 * @example await assertLabRoute('10.77.0.11')
 */
export async function assertLabRoute(address: string): Promise<void> {
  const [problem] = await checkLabRoutes([address]);
  if (problem) throw problem;
}
