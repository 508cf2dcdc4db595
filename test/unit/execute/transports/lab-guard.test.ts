// makeTransport(): a lab host is connected to only after the lab route check, so no traffic leaves for a wrong address.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import '../../../../lib/modules/index.ts';
import { makeTransport, setLabRouteGuard } from '../../../../lib/execute/transports/connect.ts';
import type { Host } from '../../../../lib/shared/types.ts';

const LabGuard = suite('makeTransport() guards lab hosts by the lab route check');

LabGuard('refuses to connect to an address that is not a lab host, before ssh runs', async () => {
  // 192.0.2.1 is TEST-NET-1: never a lab address, and the check must refuse it without sending anything.
  const host: Host = {
    name: 'stray',
    groups: ['all'],
    vars: { ansible_host: '192.0.2.1', lab_host: true },
    sources: {},
  };
  const started = Date.now();
  const error = await makeTransport(host)
    .connect()
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  assert.instance(error, Error);
  assert.match(
    String((error as Error).message),
    /Refusing to connect to 192\.0\.2\.1: (the lab is not up|it is not a lab address)/,
  );
  assert.ok(Date.now() - started < 5000, 'refused at once, not after an ssh timeout');
});

LabGuard(
  'with no route check installed, a lab host is refused, not connected to unchecked',
  async () => {
    const host: Host = {
      name: 'stray',
      groups: ['all'],
      vars: { ansible_host: '192.0.2.1', lab_host: true },
      sources: {},
    };
    setLabRouteGuard(undefined);
    const error = await makeTransport(host)
      .connect()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    assert.match(String((error as Error).message), /no lab route check is installed/);
  },
);

LabGuard.run();
