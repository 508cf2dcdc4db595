// The service module's arguments come from one schema (lib/modules/args/service-args.ts): every field refuses a bad
// value at the task's file:line:col naming the field, gate maps are judged by the kind they name, and
// docs/modules.md's row lists what the schema declares.
import * as assert from 'uvu/assert';
import { serviceArgs } from '../../../lib/modules/args/service-args.ts';
import { modulesDoc } from '../../../lib/modules/args/modules-doc.ts';
import { moduleArgSchemas } from '../../../lib/modules/args/index.ts';
import { modules } from '../../../lib/modules/index.ts';
import type { ServiceArgs } from '../../../lib/modules/service.ts';
import type { Vars } from '../../../lib/shared/types.ts';
import { suite } from '../../helpers/suite.ts';

const where = { file: 'roles/r/tasks/main.yaml', line: 7, col: 3 };
const service = modules.get('service')!;
const validate = (raw: Vars) => service.validate(raw, where, {} as never) as ServiceArgs;
const base = { name: 'rmq-broker-a-0', command: ['/opt/rmq/bin/mqbroker'] };
const GUARD = { rocketmq: 'in-sync', namesrv: 'a:9876', broker: 'broker-a', id: 1 };

const Fields = suite('a bad value in each service field is refused at the task, naming the field');
const BAD: Array<[field: string, value: unknown, message: string]> = [
  ['name', 'a b', 'service: "name" may hold only letters'],
  ['state', 'running', '"state" must be one of started, stopped, restarted, got string "running"'],
  ['command', 'mqbroker', '"command" must be a list of words (argv)'],
  ['command', ['a', 'b\nc'], '"command[1]" must be one line'],
  ['env', ['A=1'], '"env" must be a mapping'],
  ['env', { 'A-B': '1' }, 'service: env name "A-B" is not a valid variable name'],
  ['env', { A: 'x\ny' }, '"env.A" must be one line'],
  ['cwd', ['/a'], '"cwd" must be a string'],
  ['pidfile', 'a\nb', '"pidfile" must be one line'],
  ['log', { a: 1 }, '"log" must be a string'],
  ['user', 'a b', 'service: "user" is not a valid user name, got "a b"'],
  ['match', 'a\nb', '"match" must be one line'],
  ['enabled', 'maybe', '"enabled" must be a boolean'],
  ['supervisor', 'runit', '"supervisor" must be one of auto, pidfile, systemd'],
  ['stop_timeout', 0, '"stop_timeout" must be a whole number from 1 to 3600, got number 0'],
  ['config_files', [['a']], '"config_files[0]" must be a string, got a list'],
  ['remove_before_start', ['a\nb'], '"remove_before_start[0]" must be one line'],
  ['install', 'opt/rocketmq', 'service: "install" must be an absolute folder other than /'],
  ['restart', 'always', '"restart" must be one of on_config_change, never'],
  ['guard', true, '"guard" must be an argv list, a literal shell string or a gate kind map'],
  ['guard', { ...GUARD, id: 'x' }, '"guard.id" must be a whole number'],
  ['guard', { ...GUARD, timeout: 3 }, 'service guard (rocketmq gate): unknown key "timeout"'],
  ['guard', { ...GUARD, via: 'ssh' }, '"guard.via" must be one of controller, host'],
  ['health', { ...GUARD, members: '0,x' }, 'service: "health.members" must be broker ids'],
  [
    'health',
    { ...GUARD, via: 'host', host_java: { java: 'java', home: 'opt', source: '/a/B.java' } },
    '"health.host_java.home" must be an absolute path',
  ],
  ['health_timeout', '2h', '"health_timeout" must be a whole number from 1 to 3600'],
  ['before_start', { rocketmq_store: 'store', version: '5.4.0' }, '"before_start.rocketmq_store"'],
  [
    'before_start',
    { rocketmq_store: '/data/store', version: '5.4.0', versoin: 1 },
    'service before_start (rocketmq_store): unknown key "versoin"',
  ],
];
for (const [field, value, message] of BAD) {
  Fields(`${field}: ${JSON.stringify(value)}`, () => {
    assert.throws(
      () => validate({ ...base, [field]: value }),
      (e: Error) =>
        e.message.startsWith('roles/r/tasks/main.yaml:7:3: ') && e.message.includes(message),
    );
  });
}
Fields('a misspelt argument is named with the one meant', () => {
  assert.throws(
    () => validate({ ...base, stop_timout: 5 }),
    /service: unknown key "stop_timout" \(known: .*\); did you mean stop_timeout\?/,
  );
});
Fields.run();

const Typed = suite('valid arguments come back typed, with the defaults that follow from others');
Typed(
  'defaults by name and command; gate maps become gates; an empty store script is no hook',
  () => {
    const args = validate({
      ...base,
      env: { JAVA_OPT: '-Xmx1g' },
      config_files: '/etc/rmq/broker.properties',
      install: '/opt/rocketmq/5.5.0/',
      guard: ['test', '-f', '/tmp/ok'],
      health: GUARD,
      before_start: { rocketmq_store: '/data/store', version: '5.5.0' },
    });
    assert.is(args.pidfile, '/run/rocketmq-deploy/rmq-broker-a-0.pid');
    assert.is(args.log, '/var/log/rocketmq-deploy/rmq-broker-a-0.log');
    assert.is(args.match, '/opt/rmq/bin/mqbroker');
    assert.equal(args.configFiles, ['/etc/rmq/broker.properties']);
    assert.is(args.install, '/opt/rocketmq/5.5.0');
    assert.equal(
      [args.stopTimeout, args.healthTimeout, args.restart],
      [60, 120, 'on_config_change'],
    );
    assert.is(args.guard, 'test -f /tmp/ok');
    assert.is(
      typeof args.health === 'object' && args.health.describe.startsWith('RocketMQ in-sync'),
      true,
    );
    assert.is(args.beforeStart, undefined);
  },
);
Typed.run();

const Docs = suite("docs/modules.md's service row is the schema's");
Docs('every declared argument is in the row, and no hand-written row is left for it', () => {
  assert.is(moduleArgSchemas.get('service'), serviceArgs);
  const row = modulesDoc(moduleArgSchemas)
    .split('\n')
    .find((l) => l.startsWith('| `service` |'))!;
  for (const key of Object.keys(serviceArgs.shape)) assert.ok(row.includes(`\`${key}\``), key);
  assert.ok(row.includes('`stop_timeout` (seconds, default 60)'), row);
});
Docs.run();
