// Joint questions: a host's probes of one kind asked in one pass, with each probe's own script as the fallback.
import { quote } from '../shared/shell.ts';
import type { ProbeJoint, ProbeJoiner } from '../shared/probe-joint.ts';
import type { ProbeResult } from '../shared/types.ts';
import { buildFactScript, parseFactOutput } from './fact-script.ts';

/** What joinQuestions needs of a question (fact-trip.ts's Question extends it). */
export interface JoinableQuestion {
  key: string;
  script: string;
  /** False for a later phase's probe asked ahead: its frames may be missing without failing this phase. */
  needed: boolean;
  /** Asked in one pass with the others of its kind. */
  joint?: ProbeJoint | undefined;
  /** A joint pass's own script: framed without eval (fact-script.ts). */
  raw?: boolean;
}

/** The questions to frame (those asked alone plus one per joint pass), and how to answer the original ones. */
export interface Joined<Q> {
  questions: Q[];
  expand(answers: Map<string, ProbeResult>): Map<string, ProbeResult>;
}

/** A kind asked fewer times than this goes one by one: a joint pass would save no process. */
const MIN_JOINT = 2;
const JOINT_OK = 'J\n';
const JOINT_FELL_BACK = 'F\n';

/**
 * The shell of one joint pass: the joiner's script in a command substitution, so that nothing it printed counts when
 * it fails; then `fallback`: the members' own scripts (or the joiner's compact form of them), framed as a fact script
 * of its own (fact-script.ts).
 */
function jointScript(joiner: ProbeJoiner, items: unknown[], fallback: string): string {
  return [
    `if rdf_joint=$(eval ${quote(joiner.script(items))}); then`,
    `  printf '${JOINT_OK.replace('\n', '\\n')}%s\\n' "$rdf_joint"`,
    'else',
    `  printf '${JOINT_FELL_BACK.replace('\n', '\\n')}'`,
    fallback,
    'fi',
  ].join('\n');
}

/** Each member's answer from the joint question's answer; a joint answer that does not fit fails every member. */
function memberAnswers(
  answer: ProbeResult,
  joiner: ProbeJoiner,
  items: unknown[],
  fallback: string,
): ProbeResult[] {
  const failed = (code: number): ProbeResult[] => items.map(() => ({ stdout: '', code }));
  if (answer.code !== 0) return failed(answer.code);
  try {
    if (answer.stdout.startsWith(JOINT_OK))
      return joiner.split(answer.stdout.slice(JOINT_OK.length), items);
    if (answer.stdout.startsWith(JOINT_FELL_BACK)) {
      const parsed = parseFactOutput(fallback, answer.stdout.slice(JOINT_FELL_BACK.length));
      return items.map((_, i) => parsed.get(`j${i}`) ?? { stdout: '', code: 127 });
    }
  } catch {
    // Output that does not fit its items (a changed host shell, a cut line): no member is answered from it.
  }
  return failed(1);
}

/**
 * Replaces every kind with at least MIN_JOINT members by one joint question (needed when any member is).
 * @example joinQuestions(part).questions // one question per joint kind, then the others in order
 */
export function joinQuestions<Q extends JoinableQuestion>(part: Q[]): Joined<Q> {
  const kinds = new Map<ProbeJoiner, Q[]>();
  for (const q of part)
    if (q.joint) kinds.set(q.joint.joiner, [...(kinds.get(q.joint.joiner) ?? []), q]);
  const joint = [...kinds].filter(([, members]) => members.length >= MIN_JOINT);
  const inJoint = new Set(joint.flatMap(([, members]) => members));
  const passes = joint.map(([joiner, members], n) => {
    const items = members.map((m) => m.joint!.item);
    const own = (m: Q, i: number) => joiner.fallback?.script(items[i]) ?? m.script;
    const fallback = buildFactScript(members.map((m, i) => ({ id: `j${i}`, script: own(m, i) })));
    const script = jointScript(joiner, items, `${joiner.fallback?.prelude ?? ''}\n${fallback}`);
    const question: Q = { ...members[0]!, key: `joint:${n}`, script, joint: undefined, raw: true };
    question.needed = members.some((m) => m.needed);
    return { joiner, members, items, fallback, question };
  });
  const expand = (answers: Map<string, ProbeResult>): Map<string, ProbeResult> => {
    const out = new Map([...answers].filter(([key]) => !key.startsWith('joint:')));
    for (const pass of passes) {
      const answer = answers.get(pass.question.key);
      if (answer === undefined) continue;
      const each = memberAnswers(answer, pass.joiner, pass.items, pass.fallback);
      for (const [i, m] of pass.members.entries())
        out.set(m.key, each[i] ?? { stdout: '', code: 127 });
    }
    return out;
  };
  const questions = [...part.filter((q) => !inJoint.has(q)), ...passes.map((p) => p.question)];
  return { questions, expand };
}
