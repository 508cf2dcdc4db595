// routeProblem(): only a route straight through the lab bridge, for that very address, lets a lab host be connected to.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { routeProblem } from '../../../lib/lab/route-check.ts';
import { BRIDGE } from '../../../lib/lab/subnet.ts';

const Route = suite('routeProblem() reads one line of `ip -o route get`');

Route('a direct route through the bridge passes', () => {
  assert.is(
    routeProblem('10.77.0.11', `10.77.0.11 dev ${BRIDGE} src 10.77.0.1 uid 0 \\    cache `),
    undefined,
  );
});

Route('a gateway, another device, another address or no line is refused, naming the route', () => {
  const cases: [string | undefined, RegExp][] = [
    [
      `10.77.0.11 via 10.77.0.5 dev ${BRIDGE} src 10.77.0.1 uid 0`,
      /its route is "10\.77\.0\.11 via/,
    ],
    ['10.77.0.11 via 192.0.2.1 dev eth0 src 192.0.2.2 uid 0', /dev eth0/],
    [`10.77.0.12 dev ${BRIDGE} src 10.77.0.1 uid 0`, /its route is "10\.77\.0\.12 dev/],
    [undefined, /10\.77\.0\.11: no route, not directly through/],
  ];
  for (const [line, reason] of cases) {
    const problem = routeProblem('10.77.0.11', line);
    assert.ok(problem, `refused: ${line}`);
    assert.match(problem.message, reason);
    assert.match(problem.message, /run "lab down" and "lab up" again/);
  }
});

Route.run();
