// Parses `mqadmin haStatus` output: a master's commit log offset and each slave's replication state.

export interface HaSlave {
  /** The slave's HA connection address (ip:ephemeral port, not its listenPort). */
  addr: string;
  ackOffset: number;
  /** Bytes the slave is behind the master. */
  diff: number;
  /** "OK" or "Fall Behind". */
  status: string;
}

export interface HaMaster {
  masterAddr: string;
  commitLogMaxOffset: number;
  slaveNum: number;
  inSyncSlaveNum: number;
  slaves: HaSlave[];
}

const FIELD = /^#(MasterAddr|MasterCommitLogMaxOffset|SlaveNum|InSyncSlaveNum)\s+(\S+)/;
// Status is "OK" or the two words "Fall Behind"; the transfer-from-where offset ends the row.
const SLAVE = /^(\S+:\d+)\s+(-?\d+)\s+(-?\d+)\s+[\d.]+\s+(OK|Fall Behind)\s+-?\d+\s*$/;

/**
 * Reads every master block of haStatus (one per master with -c, one with -b).
 * @example parseHaStatus(out)[0] // => { masterAddr: '127.0.0.1:19911', commitLogMaxOffset: 0, slaveNum: 1, inSyncSlaveNum: 1, slaves: [{ addr: '127.0.0.1:53140', ackOffset: 0, diff: 0, status: 'OK' }] }
 */
export function parseHaStatus(stdout: string): HaMaster[] {
  const masters: HaMaster[] = [];
  let current: HaMaster | undefined;
  for (const raw of stdout.split('\n')) {
    const line = raw.trim();
    const field = FIELD.exec(line);
    if (field) {
      if (field[1] === 'MasterAddr') {
        current = {
          masterAddr: field[2] as string,
          commitLogMaxOffset: 0,
          slaveNum: 0,
          inSyncSlaveNum: 0,
          slaves: [],
        };
        masters.push(current);
      } else if (current) {
        const value = Number(field[2]);
        if (field[1] === 'MasterCommitLogMaxOffset') current.commitLogMaxOffset = value;
        else if (field[1] === 'SlaveNum') current.slaveNum = value;
        else current.inSyncSlaveNum = value;
      }
      continue;
    }
    const slave = SLAVE.exec(line);
    if (slave && current) {
      current.slaves.push({
        addr: slave[1] as string,
        ackOffset: Number(slave[2]),
        diff: Number(slave[3]),
        status: slave[4] as string,
      });
    }
  }
  return masters;
}

/**
 * Says what is wrong with replication of one master, or undefined when every expected slave is in sync.
 * @example haProblem(master, 1) // => undefined
 */
export function haProblem(master: HaMaster, expectedSlaves: number): string | undefined {
  if (master.slaveNum < expectedSlaves)
    return `master ${master.masterAddr} has ${master.slaveNum} slave(s) connected, expected ${expectedSlaves}`;
  if (master.inSyncSlaveNum < expectedSlaves)
    return `master ${master.masterAddr} has ${master.inSyncSlaveNum} of ${expectedSlaves} slave(s) in sync`;
  const behind = master.slaves.find((s) => s.status !== 'OK');
  return behind
    ? `slave ${behind.addr} of ${master.masterAddr} is "${behind.status}" by ${behind.diff} bytes`
    : undefined;
}
