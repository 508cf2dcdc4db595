// "Did you mean …?" for mistyped names: the nearest candidate by edit distance, when it is near enough.

/**
 * Edit distance with adjacent transpositions (optimal string alignment), ignoring case, so "loacl" is 1 from "local".
 * @example editDistance('broker_heep', 'broker_heap') // => 1
 */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let before: number[] = [];
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const row = [i];
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let best = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1])
        best = Math.min(best, before[j - 2]! + 1);
      row.push(best);
    }
    before = previous;
    previous = row;
  }
  return previous[t.length]!;
}

/** How many edits still count as a typo: 1 for short words, up to 3 for long ones. */
function tolerance(word: string): number {
  return word.length <= 4 ? 1 : word.length <= 10 ? 2 : 3;
}

/**
 * The candidate nearest to `word` within typo distance (ties: the first in `candidates`), or undefined.
 * An exact match is not a suggestion.
 * @example suggest('loacl', ['local', 'prod']) // => 'local'
 */
export function suggest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = tolerance(word) + 1;
  for (const candidate of candidates) {
    if (candidate === word || Math.abs(candidate.length - word.length) >= bestDistance) continue;
    const distance = editDistance(word, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * "; did you mean X?" for a near miss, else "".
 * @example didYouMean('--chek', ['--check']) // => '; did you mean --check?'
 */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const near = suggest(word, candidates);
  return near === undefined ? '' : `; did you mean ${near}?`;
}
