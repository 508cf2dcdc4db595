// The load stage reads templates and `src` files for planning: found ones render, missing ones fail as before.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { planRun } from '../../../lib/run.ts';

/** A role `r` with one template and one file, a file beside the playbook, and one host h1 with `name: app`. */
const TREE: Record<string, string> = {
  'hosts.yaml': 'all:\n  hosts:\n    h1: { name: app }\n',
  'roles/r/tasks/main.yaml': '[]\n',
  'roles/r/templates/app.hbs': 'name={{ name }}\n',
  'roles/r/files/plain.txt': 'plain\n',
  'beside.txt': 'beside\n',
};

/** Plans one task of role r's tasks file; returns the planned args' content or the error message. */
async function planOne(dir: string, task: string): Promise<string> {
  writeFileSync(join(dir, 'roles/r/tasks/main.yaml'), task);
  writeFileSync(join(dir, 'site.yaml'), '- hosts: all\n  roles: [r]\n');
  const options = {
    playbook: join(dir, 'site.yaml'),
    inventory: dir,
    check: true,
    diff: false,
    tags: [],
    skipTags: [],
    extraVars: {},
    forks: 1,
  };
  try {
    const planned = await planRun(options);
    const args = planned.phases[0]?.plans.get('h1')?.tasks[0]?.args as { content?: string };
    return `content ${JSON.stringify(args.content)}`;
  } catch (error) {
    return (error as Error).message.replace(dir, '<dir>').replace(dir, '<dir>');
  }
}

const CASES: Array<[string, string, string | RegExp]> = [
  [
    'a literal template in the role',
    '- template: { src: app.hbs, dest: /x }\n',
    'content "name=app\\n"',
  ],
  [
    'a templated template name in the role',
    '- template: { src: "{{ name }}.hbs", dest: /x }\n',
    'content "name=app\\n"',
  ],
  [
    'a literal copy src in the role',
    '- copy: { src: plain.txt, dest: /x }\n',
    'content "plain\\n"',
  ],
  [
    'a copy src found beside the playbook',
    '- copy: { src: beside.txt, dest: /x }\n',
    'content "beside\\n"',
  ],
  [
    'a missing template',
    '- template: { src: none.hbs, dest: /x }\n',
    '<dir>/roles/r/templates/none.hbs: template not found; check "src" and the role\'s templates/ folder (host h1)',
  ],
  // The read error is the one the runtime gives (ENOENT on Node), as when copy read the file itself.
  [
    'a missing copy src',
    '- copy: { src: gone.txt, dest: /x }\n',
    /roles\/r\/tasks\/main\.yaml:1:3: copy: cannot read src "gone\.txt" \(<dir>\/roles\/r\/files\/gone\.txt\): .*(ENOENT|No such file)/,
  ],
];

const L = suite(
  'planRun() reads templates and src files in the load stage; planning finds them in that data',
);
// One folder for all cases, its tasks file rewritten before each: a role cached past its run would plan stale tasks.
L(
  'table: found files render, missing ones fail with the same located message; no role outlives its run',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rmqd-load-files-'));
    try {
      for (const [path, text] of Object.entries(TREE)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), text);
      }
      for (const [name, task, expected] of CASES) {
        const got = await planOne(dir, task);
        if (typeof expected === 'string') assert.is(got, expected, name);
        else assert.match(got, expected, name);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
L.run();
