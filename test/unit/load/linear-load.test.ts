// Loading grows linearly with the inventory: array elements scanned are counted (no timing), at n and 4n hosts.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadInventory } from '../../../lib/load/inventory.ts';
import { selectHosts } from '../../../lib/plan/patterns.ts';
import { hostVars, varScope } from '../../../lib/load/vars.ts';
import { writeTree } from './tmp-tree.ts';

// Quadratic work hides in searches through arrays (includes, find, filter, some…): count every element they visit.
const SCANNERS = [
  'includes',
  'indexOf',
  'find',
  'findIndex',
  'filter',
  'some',
  'every',
  'map',
  'forEach',
  'reduce',
] as const;

function countScans(work: () => void): number {
  const proto = Array.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  const saved = SCANNERS.map((name) => [name, proto[name]!] as const);
  let scanned = 0;
  for (const [name, original] of saved) {
    proto[name] = function (this: unknown[], ...args: unknown[]) {
      scanned += this.length;
      return original.apply(this, args);
    };
  }
  try {
    work();
  } finally {
    for (const [name, original] of saved) proto[name] = original;
  }
  return scanned;
}

/** n broker hosts with a few vars each, in groups of 10 (so there are n/10 groups), plus a host_vars file. */
function inventoryOf(n: number): string {
  let hosts = 'all:\n  vars:\n    x: 1\n  children:\n    brokers:\n      children:\n';
  for (let g = 0; g < n / 10; g++) {
    hosts += `        g${g}:\n          hosts:\n`;
    for (let i = g * 10; i < g * 10 + 10; i++)
      hosts += `            mq${i}:\n              ansible_host: 10.0.${i >> 8}.${i & 255}\n              broker_id: 0\n`;
  }
  return writeTree({
    'hosts.yaml': hosts,
    'host_vars/mq1.yaml': 'heap: 1g\n',
    'group_vars/brokers.yaml': 'y: 2\n',
  });
}

function scansFor(n: number): number {
  const dir = inventoryOf(n);
  return countScans(() => {
    const inv = loadInventory(dir);
    const scope = varScope(inv);
    for (const host of inv.hosts.keys()) hostVars(scope, host);
    selectHosts(inv, 'brokers:!mq1');
  });
}

const Linear = suite(
  'loadInventory(), hostVars() and selectHosts() scan O(hosts) array elements, not O(hosts²)',
);
Linear('4× the hosts costs at most 4.5× the scans (quadratic would be 16×)', () => {
  const small = scansFor(500);
  const large = scansFor(2000);
  assert.ok(
    large <= small * 4.5,
    `500 hosts: ${small} elements scanned; 2000 hosts: ${large} (${(large / small).toFixed(1)}×)`,
  );
});
Linear.run();
