// One fact round trip that may cover several phases: plain probes and sudo probes framed in one exec.
import { buildFactScript, parseFactOutput } from './fact-script.ts';
import { type JoinableQuestion, joinQuestions } from './fact-joint.ts';
import { becomeWrapIfNeeded as becomeWrap } from '../shared/shell.ts';
import type { ProbeResult, Transport } from '../shared/types.ts';

/** One question for the host: the probe script, whether it runs through sudo, and whose phase needs it now. */
export interface Question extends JoinableQuestion {
  become: boolean;
}

/** Probes of later phases are only added while the command stays well under the 128 KiB argument limit of Linux. */
export const AHEAD_LIMIT_CHARS = 64 * 1024;

/** The key a probe's answer is kept under: the same script asked with or without sudo are different questions. */
export const questionKey = (script: string, become: boolean): string =>
  `${become ? 'b' : 'u'}:${script}`;

/** The command asking some questions, and how to read their answers back from its stdout. */
export interface FactCommand {
  command: string;
  /**
   * key → answer; a part holding only questions asked ahead is dropped when its output is cut short.
   * @throws FactError when a part holding a needed question is cut short
   */
  parse(stdout: string): Map<string, ProbeResult>;
}

/** Frames the questions into one command: the plain fact script first, then the sudo one (it ends the command with exec). */
export function factCommand(questions: Question[]): FactCommand {
  const parts = [false, true]
    .map((become) => questions.filter((q) => q.become === become))
    .filter((part) => part.length > 0);
  const joined = parts.map((part) => joinQuestions(part));
  const scripts = joined.map(({ questions: asked }) =>
    buildFactScript(asked.map((q, i) => ({ id: `p${i}`, script: q.script, raw: q.raw === true }))),
  );
  const command = scripts
    .map((script, i) => (parts[i]![0]!.become ? becomeWrap(script) : script))
    .join('');
  const parse = (stdout: string): Map<string, ProbeResult> => {
    const answers = new Map<string, ProbeResult>();
    parts.forEach((part, i) => {
      let parsed: Map<string, ProbeResult>;
      try {
        parsed = parseFactOutput(scripts[i]!, stdout);
      } catch (error) {
        if (part.some((q) => q.needed)) throw error;
        return;
      }
      const { questions: asked, expand } = joined[i]!;
      const byKey = new Map(
        asked.map(
          (q, index) => [q.key, parsed.get(`p${index}`) ?? { stdout: '', code: 127 }] as const,
        ),
      );
      for (const [key, answer] of expand(byKey)) answers.set(key, answer);
    });
    return answers;
  };
  return { command, parse };
}

/**
 * Asks every question in ONE exec (see factCommand).
 * @throws FactError when a part holding a needed question is cut short
 */
export async function askHost(
  transport: Transport,
  questions: Question[],
): Promise<Map<string, ProbeResult>> {
  const { command, parse } = factCommand(questions);
  return parse((await transport.exec(command)).stdout);
}
