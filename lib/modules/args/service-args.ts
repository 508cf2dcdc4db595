// The arguments of the service module, declared once: parsing, the JSON Schema for editors and docs/modules.md.
import { z } from '../../shared/schema.ts';
import {
  argv,
  bool,
  oneOf,
  stringList,
  text,
  textThat,
  whole,
} from '../../shared/schema-fields.ts';
import { checkGates, gateArgs } from './service-gate-args.ts';

const NAME = /^[A-Za-z0-9_.@-]+$/;
const USER = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const NO_COMMAND = 'service: "command" is required (the argv list of the process)';
const NO_MATCH =
  'service: a stopped service without "command" needs "match" (text its command line holds)';

/** Values go into line-based state files and unit files: a newline would split them. */
const line = () => z.string().refine((v) => !/[\n\r\0]/.test(v), { error: 'must be one line' });
const oneLine = () => text().pipe(line());

/** Text, nothing as undefined (an unset variable may render as null). */
const optionalLine = () =>
  oneLine()
    .nullish()
    .transform((v) => v ?? undefined);

const env = z
  .record(z.string(), oneLine(), { error: 'must be a mapping (name: value lines)' })
  .check((ctx) => {
    const bad = Object.keys(ctx.value).find((name) => !ENV_KEY.test(name));
    if (bad === undefined) return;
    const message = `service: env name "${bad}" is not a valid variable name`;
    ctx.issues.push({ code: 'custom', message, input: ctx.value });
  });

const installFolder = (v: string) =>
  v.trim() === '' || (v.startsWith('/') && !/^\/+$/.test(v) && !/[\n\r\0]/.test(v));

const processArgs = {
  name: textThat(
    (n) => NAME.test(n),
    'service: "name" may hold only letters, digits and _.@-',
  ).meta({ description: 'names its PID file, log and systemd unit, e.g. rmq-broker-a-0' }),
  state: oneOf(['started', 'stopped', 'restarted']).default('started'),
  command: argv()
    .pipe(z.array(line()))
    .nullish()
    .transform((c) => c ?? [])
    .meta({
      description:
        'argv list, exec\'ed: the recorded PID is the process itself; with env, cwd and user it is the launch, and a process launched otherwise than declared is "running an old launch" → restart',
    }),
  env: env
    .nullish()
    .transform((e) => e ?? {})
    .meta({ description: 'variables of the process' }),
  cwd: optionalLine(),
  pidfile: optionalLine().meta({ description: 'default /run/rocketmq-deploy/<name>.pid' }),
  log: optionalLine().meta({ description: 'default /var/log/rocketmq-deploy/<name>.log' }),
  user: optionalLine()
    .refine((u) => u === undefined || USER.test(u), {
      error: (i) => `service: "user" is not a valid user name, got ${JSON.stringify(i.input)}`,
    })
    .meta({ description: 'the user it runs as' }),
  match: optionalLine().meta({
    description: 'text its command line holds; default: the last word of `command`',
  }),
  enabled: bool().optional().meta({ description: 'start at boot; systemd only' }),
  supervisor: oneOf(['auto', 'pidfile', 'systemd']).default('auto'),
  stop_timeout: whole(1, 3600).prefault(60).meta({ description: 'seconds' }),
};

const changeArgs = {
  config_files: stringList().pipe(z.array(line())).meta({
    description: 'a change of their sha256 since the start means "running an old config" → restart',
  }),
  remove_before_start: stringList()
    .pipe(z.array(line()))
    .meta({
      description:
        "files deleted before each start, e.g. a broker's `.bak`, so their appearance later reads as a " +
        'run-time config change',
    }),
  install: textThat(
    installFolder,
    'service: "install" must be an absolute folder other than / on one line',
  )
    .transform((v) => (v.trim() === '' ? undefined : v.replace(/\/+$/, '')))
    .nullish()
    .transform((v) => v ?? undefined)
    .meta({
      description:
        'the folder the process runs from, e.g. `{{rocketmq_home}}`, recorded at start with its device:inode: ' +
        'another folder declared, the folder deleted or extracted again, or deleted files under its parent ' +
        'still held by the process mean "running an old install" → restart, under the same policy and gates',
    }),
};

export const serviceArgs = z
  .strictObject({ ...processArgs, ...changeArgs, ...gateArgs })
  .check((ctx) => {
    const { command, state, match } = ctx.value;
    const fail = (message: string) =>
      ctx.issues.push({ code: 'custom', message, input: ctx.value });
    // Stopping needs only the process's identity (pidfile + match): a stop playbook need not repeat the command.
    if (command.length === 0 && state !== 'stopped') fail(NO_COMMAND);
    else if (command.length === 0 && match === undefined) fail(NO_MATCH);
    checkGates(ctx.value, ctx);
  })
  .meta({
    title: 'service',
    description: 'keeps one long-running process started, stopped or restarted',
    idempotence:
      'pid alive and its cmdline matches; config checksums and install recorded at start compared with current',
  });
