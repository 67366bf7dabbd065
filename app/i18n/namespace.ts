export type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };

/**
 * A translation namespace with both languages side by side; English must have every
 * German key (a missing one fails `npm run typecheck`).
 */
export function namespace<T extends object>(de: T, en: Widen<T>) {
  return { de, en };
}
