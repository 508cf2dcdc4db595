// Get-or-create for records that group values by key: the entry under a key, made on its first use.

/**
 * The value under `key`, first set to `make()` when the key has none.
 * @example entryOf(tasksByHost, 'h1', () => []).push(task)
 */
export function entryOf<V>(record: Record<string, V>, key: string, make: () => NoInfer<V>): V {
  const found = record[key];
  if (found !== undefined) return found;
  const made = make();
  record[key] = made;
  return made;
}
