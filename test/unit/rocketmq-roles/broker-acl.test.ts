// rocketmq_acl_enabled: broker.properties gains the AuthConfig keys of RocketMQ 5.5.0, the file becomes 0600, and an
// ACL without an admin secret is refused while planning, without printing anything secret.
import { readFileSync } from 'node:fs';
import process from 'node:process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadInventory } from '../../../lib/load/inventory.ts';
import { parseProperties } from '../../../lib/shared/java-properties.ts';
import { renderTemplateFile } from '../../../lib/load/render.ts';
import { resolveVars } from '../../../lib/load/var-references.ts';
import { phaseVars } from './phase-vars.ts';

const TEMPLATE = 'roles/broker/templates/broker.properties.hbs';
const inventory = loadInventory('inventory/example-prod');
const item = { broker_name: 'broker-a', broker_id: 0 };
const SECRET = 'Adm1n=se:cret"x';
// AuthConfig setters of rocketmq-auth-5.5.0.jar (javap org.apache.rocketmq.auth.config.AuthConfig).
const AUTH_CONFIG_KEYS = [
  'authenticationEnabled',
  'authenticationProvider',
  'authenticationMetadataProvider',
  'authorizationEnabled',
  'authorizationProvider',
  'authorizationMetadataProvider',
  'initAuthenticationUser',
  'innerClientAuthenticationCredentials',
];

function render(acl: Record<string, unknown>): Map<string, string> {
  const vars = phaseVars(inventory, 'mqnameserver1', 'broker', {
    rocketmq_topology: '2m2s-async',
    ...acl,
  });
  return new Map(
    parseProperties(renderTemplateFile(TEMPLATE, { ...vars, item }, 'mqnameserver1')).map((e) => [
      e.key,
      e.value,
    ]),
  );
}

const S = suite('broker.properties with rocketmq_acl_enabled');
S('off (the default): no AuthConfig key at all', () => {
  const props = render({});
  for (const key of AUTH_CONFIG_KEYS) assert.is(props.get(key), undefined, key);
});

S(
  'on: authentication and authorization with the local providers, the admin user as init and inner user',
  () => {
    process.env.RMQD_ACL_TEST_SECRET = SECRET;
    try {
      const props = render({
        rocketmq_acl_enabled: true,
        rocketmq_acl_admin_secret: "{{secret_env 'RMQD_ACL_TEST_SECRET'}}",
      });
      assert.equal(
        [...props.keys()].filter((k) => /uth/.test(k)).sort(),
        [...AUTH_CONFIG_KEYS].sort(),
      );
      assert.is(props.get('authenticationEnabled'), 'true');
      assert.is(props.get('authorizationEnabled'), 'true');
      assert.is(
        props.get('authenticationMetadataProvider'),
        'org.apache.rocketmq.auth.authentication.provider.LocalAuthenticationMetadataProvider',
      );
      // The properties escaper keeps '=' ':' '"' intact through Java's Properties.load.
      assert.equal(JSON.parse(props.get('initAuthenticationUser')!), {
        username: 'rmqd-admin',
        password: SECRET,
      });
      assert.equal(JSON.parse(props.get('innerClientAuthenticationCredentials')!), {
        accessKey: 'rmqd-admin',
        secretKey: SECRET,
      });
    } finally {
      delete process.env.RMQD_ACL_TEST_SECRET;
    }
  },
);

S(
  'on without a secret: refused while rendering, naming the variable and both ways to set it',
  () => {
    assert.throws(
      () => render({ rocketmq_acl_enabled: true }),
      /rocketmq_acl_admin_secret is empty with rocketmq_acl_enabled on/,
    );
  },
);

S('the broker.properties task writes mode 0600 with ACL on, 0644 off', () => {
  const task = readFileSync('roles/broker/tasks/main.yaml', 'utf8');
  const mode = /Write broker\.properties[\s\S]*?mode: "([^"]+)"/.exec(task)?.[1] ?? '';
  for (const [on, expected] of [
    [true, '0600'],
    [false, '0644'],
  ] as const) {
    assert.is(resolveVars({ rocketmq_acl_enabled: on, m: mode }).m, expected);
  }
});
S.run();
