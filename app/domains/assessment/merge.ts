/**
 * Three-way merge of one part of the draft (a goal, a measure) that two people may edit at
 * the same time. Every save sends the values the editor started from (`base`) with their
 * own (`mine`); against what is stored now (`theirs`):
 * - a field only I changed takes my value, a field only the other changed keeps theirs;
 * - a field both changed to different values is a conflict: nothing is saved and the
 *   editor sees both versions to choose from. Nobody's work is silently overwritten.
 */
export type MergeResult<T> = { merged: T; conflicts: Array<keyof T & string> };

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function mergeThreeWay<T extends Record<string, unknown>>(
  base: T,
  mine: T,
  theirs: T,
  editable: ReadonlyArray<keyof T & string>,
): MergeResult<T> {
  const merged = { ...theirs };
  const conflicts: Array<keyof T & string> = [];
  for (const field of editable) {
    if (same(mine[field], base[field]) || same(mine[field], theirs[field])) continue; // unchanged by me, or same result
    if (same(theirs[field], base[field])) merged[field] = mine[field];
    else conflicts.push(field);
  }
  return { merged, conflicts };
}
