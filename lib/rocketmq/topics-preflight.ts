// Preflight of topics-as-code: every declared name and attribute as RocketMQ would accept it, before any host
// is touched; masters and slaves of a group declare the same; a warning when clients may create topics anyway.
import { formatWhere } from '../shared/errors.ts';
import { type Declaration, parseDeclaration } from './topics-decl.ts';
import type { BrokerInstance } from './topology.ts';
import type { Host, Vars } from '../shared/types.ts';

/** What the check needs per broker instance: its host's resolved variables and where they were set. */
export interface TopicsPreflightInput {
  cluster: string;
  instances: BrokerInstance[];
  vars: (host: string) => Vars;
  host: (host: string) => Host | undefined;
}

const truthy = (v: unknown): boolean => v === true || v === 'true';

/** The effective value of a boolean broker key: the instance's properties, broker_properties, then the variable. */
function brokerFlag(instance: BrokerInstance, vars: Vars, key: string, variable: string): boolean {
  const shared = vars.broker_properties;
  const fromShared =
    shared !== null && typeof shared === 'object' ? (shared as Vars)[key] : undefined;
  // The broker role's default for both keys is the seed's `true`.
  return truthy(instance.properties[key] ?? fromShared ?? vars[variable] ?? true);
}

function placeOf(input: TopicsPreflightInput, host: string, variable: string): string {
  const where = input.host(host)?.sources[variable];
  return where ? `${formatWhere(where)}: ` : '';
}

/** Errors of one instance's own declaration: what does not parse, and topic names the brokers reserve. */
function declarationErrors(
  input: TopicsPreflightInput,
  instance: BrokerInstance,
  vars: Vars,
  brokerNames: Set<string>,
): { declaration: Declaration; errors: string[] } {
  const { declaration, errors: problems } = parseDeclaration(vars);
  const errors = problems.map((p) => {
    const variable = p.startsWith('rocketmq_groups') ? 'rocketmq_groups' : 'rocketmq_topics';
    return `${placeOf(input, instance.host, variable)}host ${instance.host}: ${p}`;
  });
  for (const t of declaration.topics) {
    if (
      t.name === input.cluster ||
      brokerNames.has(t.name) ||
      t.name === `${input.cluster}_REPLY_TOPIC`
    ) {
      errors.push(
        `${placeOf(input, instance.host, 'rocketmq_topics')}host ${instance.host}: topic "${t.name}" is a topic the brokers create for their cluster or broker name; rename it`,
      );
    }
  }
  return { declaration, errors };
}

/** Brokers that let clients create topics or groups while some are declared: those bypass the declaration. */
function autoCreateWarnings(autoTopics: Set<string>, autoGroups: Set<string>): string[] {
  const list = (names: Set<string>): string => [...names].sort().join(', ');
  const warnings: string[] = [];
  if (autoTopics.size > 0) {
    warnings.push(
      `autoCreateTopicEnable=true on ${list(autoTopics)} while topics are declared: topics that clients create bypass the declaration (set broker_auto_create_topic_enable: false)`,
    );
  }
  if (autoGroups.size > 0) {
    warnings.push(
      `autoCreateSubscriptionGroup=true on ${list(autoGroups)} while groups are declared: groups that clients create bypass the declaration (set broker_auto_create_subscription_group: false)`,
    );
  }
  return warnings;
}

/**
 * Checks every broker instance's `rocketmq_topics` / `rocketmq_groups`.
 * @returns errors (file:line:col of the variable, then the entry) and warnings
 * @example checkTopicDeclarations(input).errors // => ['inventory/prod/group_vars/all.yaml:3:3: rocketmq_topics[0] (a.b): …']
 */
export function checkTopicDeclarations(input: TopicsPreflightInput): {
  errors: string[];
  warnings: string[];
} {
  const errors = new Set<string>();
  const autoTopics = new Set<string>();
  const autoGroups = new Set<string>();
  const byGroup = new Map<string, { host: string; text: string }>();
  const brokerNames = new Set(input.instances.map((i) => i.brokerName));
  for (const instance of input.instances) {
    const vars = input.vars(instance.host);
    const { declaration, errors: own } = declarationErrors(input, instance, vars, brokerNames);
    for (const e of own) errors.add(e);
    const text = JSON.stringify(declaration);
    const seen = byGroup.get(instance.brokerName);
    if (seen && seen.text !== text) {
      errors.add(
        `${instance.brokerName}: hosts ${seen.host} and ${instance.host} declare different rocketmq_topics/rocketmq_groups; a slave must hold what its master holds (declare them once, for both)`,
      );
    }
    if (!seen) byGroup.set(instance.brokerName, { host: instance.host, text });
    if (declaration.topics.length === 0 && declaration.groups.length === 0) continue;
    if (brokerFlag(instance, vars, 'autoCreateTopicEnable', 'broker_auto_create_topic_enable'))
      autoTopics.add(instance.brokerName);
    const groupsFlag = 'broker_auto_create_subscription_group';
    if (brokerFlag(instance, vars, 'autoCreateSubscriptionGroup', groupsFlag))
      autoGroups.add(instance.brokerName);
  }
  return { errors: [...errors], warnings: autoCreateWarnings(autoTopics, autoGroups) };
}
