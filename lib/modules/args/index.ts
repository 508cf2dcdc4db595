// Module name → its argument schema: the modules whose arguments are declared once (parse, editors, docs).
import type { z } from '../../shared/schema.ts';
import { blockinfileArgs } from './blockinfile-args.ts';
import { commandArgs } from './command-args.ts';
import { copyArgs, templateArgs } from './copy-args.ts';
import { fileArgs } from './file-args.ts';
import { hostnameArgs } from './hostname-args.ts';
import { lineinfileArgs } from './lineinfile-args.ts';
import { rocketmqDistArgs } from './rocketmq-dist-args.ts';
import { rocketmqDrainArgs } from './rocketmq-drain-args.ts';
import { rocketmqAclArgs } from './rocketmq-acl-args.ts';
import { rocketmqTopicsArgs } from './rocketmq-topics-args.ts';
import { serviceArgs } from './service-args.ts';
import { rocketmqVerifyArgs } from './rocketmq-verify-args.ts';
import { unarchiveArgs } from './unarchive-args.ts';
import { waitForArgs } from './wait-for-args.ts';

export const moduleArgSchemas: ReadonlyMap<string, z.ZodType> = new Map<string, z.ZodType>([
  ['file', fileArgs],
  ['copy', copyArgs],
  ['template', templateArgs],
  ['blockinfile', blockinfileArgs],
  ['lineinfile', lineinfileArgs],
  ['hostname', hostnameArgs],
  ['service', serviceArgs],
  ['wait_for', waitForArgs],
  ['command', commandArgs],
  ['unarchive', unarchiveArgs],
  ['rocketmq_dist', rocketmqDistArgs],
  ['rocketmq_topics', rocketmqTopicsArgs],
  ['rocketmq_drain', rocketmqDrainArgs],
  ['rocketmq_acl', rocketmqAclArgs],
  ['rocketmq_verify', rocketmqVerifyArgs],
]);
