/**
 * The anonymity rule for cross-office comparisons (docs/decisions/0005-anonymity-rule.md).
 * Every figure computed over several offices passes through this module; nothing else
 * computes one. Pure: no database, no clock, no randomness.
 *
 * The rules in plain words
 *
 * 1. k is the network's threshold (network.anonymity_threshold), 5 unless set, never
 *    below 3 (clampK). A closed round keeps the k it had when it closed.
 * 2. The cohort of a round is its submitted assessments (frozen when the round closes,
 *    see prisma/migrations/20261124000300_comparison). Offices come without names, as
 *    opaque keys with their office kind and size class.
 * 3. Per round and goal there is one fixed set of groups, in this order: the network; each
 *    office kind (kreisfreie Stadt, Landkreis, other); each size class (by clients served:
 *    under 10 000, 10 000–30 000, over 30 000; an office of unknown size belongs to the
 *    network and its kind but forms no size group); each kind × size class.
 * 4. A figure is computed from the offices of the group that gave the goal a rating; its n
 *    is their number. "Not assessed" and empty answers are no value and do not count.
 * 5. A group with n < k is hidden (reason "too_few").
 * 6. Differencing. Groups are admitted in the order of rule 3. A group with n ≥ k is only
 *    admitted if, together with the groups admitted before it, every cell – the offices that
 *    belong to exactly the same admitted groups – holds either no submitted office or at
 *    least k offices with a rating. Otherwise it is hidden (reason "differencing").
 *    Anything that can be worked out from shown groups by union, intersection or
 *    difference (network minus Landkreise, or network minus Städte minus Landkreise = the
 *    "other" offices, which a parent-minus-child check alone would miss) is made of whole
 *    cells, so it is either empty or rests on at least k ratings. A cell of offices none
 *    of which rated the goal is refused too: showing it would tell that each of them
 *    left the goal unassessed.
 * 7. The decision is taken for all groups of a goal at once, depends only on which
 *    offices gave a rating (never on the ratings themselves) and not on what a page asks
 *    for; every page and every sequence of pages shows part of one safe set of figures.
 * 8. A shown figure is n, the median and the lower and upper quartile (linear
 *    interpolation between the sorted values, Hyndman–Fan type 7 – the method of Excel's
 *    QUARTIL.INKL, R's and NumPy's default). Quartiles only from 5 values on: below that
 *    they would be computed from the lowest or highest rating. From 5 values on, neither
 *    the median nor a quartile depends on the lowest or the highest rating at all.
 * 9. Never shown: minimum, maximum, single values, a mean (it moves with every single
 *    value, the extremes included), office names or keys, any ranking of offices.
 * 10. Suppressed figures are announced, not dropped: { shown: false, reason, message }
 *    with one message for both reasons (the reason would tell whether a hidden group has
 *    at least k ratings, so pages show only the message).
 * 11. What the viewer already knows does not count. Every comparison is made for one
 *    viewer (an audience) and receives, as an explicit input, the offices whose ratings
 *    that viewer can see individually (`known`): for an office its own office, for the
 *    ministry (network admins) every office that released its results of the round at
 *    any time, withdrawn releases included (what was seen may have been kept). Known
 *    offices are taken out of the cohort before rules 4–8 apply: every figure is computed
 *    from unknown contributors only, k of them at least, quartiles from 5 of them, and
 *    the differencing rule runs over the unknown offices. A figure mixing known and
 *    unknown ratings would let the viewer subtract what they know (with 5 ratings of
 *    which 4 are released, Q1, median and Q3 pin or bound the fifth). So an office sees
 *    "the other offices", and the ministry sees the offices that kept their results.
 */

export const MIN_K = 3;
export const DEFAULT_K = 5;

/** The threshold actually applied: whole, at least 3, 5 if missing. */
export function clampK(k: number | null | undefined): number {
  if (k === null || k === undefined || !Number.isFinite(k)) return DEFAULT_K;
  return Math.max(MIN_K, Math.ceil(k));
}

// ─── Peer groups ────────────────────────────────────────────────────────────

export const PEER_KINDS = ["KREISFREIE_STADT", "LANDKREIS", "other"] as const;
export type PeerKind = (typeof PEER_KINDS)[number];

/** Office kind (enum OfficeKind in prisma/schema/network.prisma) → peer group; any other kind is "other". */
export function peerKindOf(kind: string): PeerKind {
  return kind === "KREISFREIE_STADT" || kind === "LANDKREIS" ? kind : "other";
}

export const SIZE_CLASSES = ["small", "medium", "large"] as const;
export type KnownSizeClass = (typeof SIZE_CLASSES)[number];
/** "unknown" (no clients_served on the profile) forms no peer group of its own. */
export type SizeClass = KnownSizeClass | "unknown";

/**
 * Lower bounds of "medium" and "large" in clients served (foreign nationals the office
 * looks after): small < 10 000, medium 10 000–30 000, large > 30 000. The SQL cohort
 * function receives the same array, so the bounds live only here.
 */
export const SIZE_CLASS_LOWER_BOUNDS: readonly number[] = [10_000, 30_001];

export function sizeClassOf(clientsServed: number | null | undefined): SizeClass {
  if (clientsServed === null || clientsServed === undefined || !Number.isFinite(clientsServed)) return "unknown";
  return sizeClassOfBucket(SIZE_CLASS_LOWER_BOUNDS.filter((bound) => clientsServed >= bound).length);
}

/** Bucket number as PostgreSQL's width_bucket(value, SIZE_CLASS_LOWER_BOUNDS) gives it (null: unknown). */
export function sizeClassOfBucket(bucket: number | null | undefined): SizeClass {
  if (bucket === null || bucket === undefined) return "unknown";
  const size = SIZE_CLASSES[bucket];
  if (!size) throw new RangeError(`size bucket ${bucket} out of range`);
  return size;
}

/** One group of the lattice; null means "all" on that dimension. */
export type GroupKey = { kind: PeerKind | null; size: KnownSizeClass | null };
export type Group = GroupKey & { id: string };

export function groupId({ kind, size }: GroupKey): string {
  if (kind && size) return `kind:${kind}+size:${size}`;
  if (kind) return `kind:${kind}`;
  if (size) return `size:${size}`;
  return "network";
}

/** Every group there is, in the order in which they are admitted (rule 3). */
export const LATTICE: readonly Group[] = [
  { kind: null, size: null },
  ...PEER_KINDS.map((kind) => ({ kind, size: null })),
  ...SIZE_CLASSES.map((size) => ({ kind: null, size })),
  ...PEER_KINDS.flatMap((kind) => SIZE_CLASSES.map((size) => ({ kind, size }))),
].map((g) => Object.freeze({ ...g, id: groupId(g) }));

// Offices fall into 12 base cells (kind × size incl. unknown); every group is a union of them.
const CELL_SIZES: readonly SizeClass[] = [...SIZE_CLASSES, "unknown"];
const cellOf = (kind: PeerKind, size: SizeClass) => PEER_KINDS.indexOf(kind) * CELL_SIZES.length + CELL_SIZES.indexOf(size);
const CELL_COUNT = PEER_KINDS.length * CELL_SIZES.length;
const GROUP_CELLS: ReadonlyArray<readonly number[]> = LATTICE.map((g) =>
  PEER_KINDS.flatMap((kind) =>
    CELL_SIZES.filter((size) => (g.kind === null || g.kind === kind) && (g.size === null || g.size === size)).map((size) =>
      cellOf(kind, size),
    ),
  ),
);
const GROUP_INDEX = new Map(LATTICE.map((g, i) => [g.id, i]));

// ─── Input and output ───────────────────────────────────────────────────────

export type Rating = 1 | 2 | 3 | 4 | 5;

/** One submitted assessment of the round. `kind` is the office kind (OfficeKind) or a peer kind. */
export type CohortEntry = {
  officeKey: string;
  kind: string;
  sizeClass: SizeClass;
  /** Goal number → rating; null or missing: not assessed or empty. */
  ratings: Readonly<Record<number, number | null | undefined>>;
};

export type ShownFigure = { shown: true; n: number; median: number; q1: number | null; q3: number | null };
export type SuppressionReason = "too_few" | "differencing";
/** i18n key of the one message for every hidden figure ("zu wenige Behörden für einen anonymen Vergleich"). */
export const SUPPRESSED_MESSAGE = "comparison:suppressed";
export type SuppressedFigure = { shown: false; reason: SuppressionReason; message: typeof SUPPRESSED_MESSAGE };
export type Figure = ShownFigure | SuppressedFigure;

/** What may leave the server: a hidden figure without its reason (rule 10). */
export type PublicFigure = ShownFigure | { shown: false; message: typeof SUPPRESSED_MESSAGE };
export function publicFigure(figure: Figure): PublicFigure {
  return figure.shown ? figure : { shown: false, message: figure.message };
}

/** Quartiles need this many values; below, they would rest on the lowest or highest rating. */
export const SPREAD_MIN_N = 5;

// ─── The rule ───────────────────────────────────────────────────────────────

type Office = { cell: number; ratings: CohortEntry["ratings"] };

function normalise(cohort: readonly CohortEntry[]): Office[] {
  const keys = new Set<string>();
  return cohort.map((entry) => {
    if (!entry.officeKey || keys.has(entry.officeKey)) throw new RangeError("every office of a cohort needs its own key");
    keys.add(entry.officeKey);
    if (!CELL_SIZES.includes(entry.sizeClass)) throw new RangeError(`unknown size class ${entry.sizeClass}`);
    for (const [goal, rating] of Object.entries(entry.ratings)) {
      if (rating !== null && rating !== undefined && !(Number.isInteger(rating) && rating >= 1 && rating <= 5)) {
        throw new RangeError(`rating for goal ${goal} must be 1–5 or null`);
      }
    }
    return { cell: cellOf(peerKindOf(entry.kind), entry.sizeClass), ratings: entry.ratings };
  });
}

/** Type 7 quantile of sorted values: linear interpolation at position (n − 1)·p. */
function quantile(sorted: readonly number[], p: number) {
  const h = (sorted.length - 1) * p;
  const lower = Math.floor(h);
  const upper = Math.min(lower + 1, sorted.length - 1);
  return sorted[lower] + (h - lower) * (sorted[upper] - sorted[lower]);
}

function summarise(values: number[]): ShownFigure {
  const sorted = [...values].sort((a, b) => a - b);
  const spread = sorted.length >= SPREAD_MIN_N;
  return {
    shown: true,
    n: sorted.length,
    median: quantile(sorted, 0.5),
    q1: spread ? quantile(sorted, 0.25) : null,
    q3: spread ? quantile(sorted, 0.75) : null,
  };
}

/**
 * Rule 6: with these groups shown, does every cell (offices in exactly the same shown
 * groups) hold no submitted office or at least k ratings?
 */
function cellsSafe(shown: readonly number[], submitted: readonly number[], rated: readonly number[], k: number) {
  const cells = new Map<number, { submitted: number; rated: number }>();
  for (let cell = 0; cell < CELL_COUNT; cell++) {
    let signature = 0;
    for (const group of shown) if (GROUP_CELLS[group].includes(cell)) signature |= 1 << group;
    const sum = cells.get(signature) ?? { submitted: 0, rated: 0 };
    sum.submitted += submitted[cell];
    sum.rated += rated[cell];
    cells.set(signature, sum);
  }
  return [...cells.values()].every((c) => c.submitted === 0 || c.rated >= k);
}

/** Decides every group of one goal at once (rules 4–8). */
function decideGoal(offices: readonly Office[], k: number, goal: number): Figure[] {
  const submitted = new Array<number>(CELL_COUNT).fill(0);
  const rated = new Array<number>(CELL_COUNT).fill(0);
  const values: number[][] = Array.from({ length: CELL_COUNT }, () => []);
  for (const office of offices) {
    submitted[office.cell]++;
    const rating = office.ratings[goal];
    if (rating === null || rating === undefined) continue;
    rated[office.cell]++;
    values[office.cell].push(rating);
  }
  const admitted: number[] = [];
  return LATTICE.map((_, group): Figure => {
    const n = GROUP_CELLS[group].reduce((sum, cell) => sum + rated[cell], 0);
    if (n < k) return { shown: false, reason: "too_few", message: SUPPRESSED_MESSAGE };
    if (!cellsSafe([...admitted, group], submitted, rated, k))
      return { shown: false, reason: "differencing", message: SUPPRESSED_MESSAGE };
    admitted.push(group);
    return summarise(GROUP_CELLS[group].flatMap((cell) => values[cell]));
  });
}

export type Comparison = {
  /** The threshold applied (after clampK). */
  k: number;
  /** One group's figure for a goal, as decided for the whole lattice. */
  figure(goal: number, group: GroupKey): Figure;
  /** Every group's figure for a goal, in lattice order. */
  lattice(goal: number): Array<{ group: Group; figure: Figure }>;
};

/** What the viewer knows (rule 11): the keys of the offices whose ratings they can see individually. */
export type ViewerKnowledge = { known?: Iterable<string> };

/**
 * The comparison over one round's cohort for one viewer; figures are decided per goal for
 * the whole lattice, over the offices the viewer does not know (rule 11). A known key that
 * is not in the cohort changes nothing.
 */
export function createComparison(
  cohort: readonly CohortEntry[],
  k: number | null | undefined,
  { known = [] }: ViewerKnowledge = {},
): Comparison {
  const threshold = clampK(k);
  const knownKeys = new Set(known);
  const offices = normalise(cohort).filter((_, i) => !knownKeys.has(cohort[i].officeKey));
  const decided = new Map<number, Figure[]>();
  const goalFigures = (goal: number) => {
    if (!Number.isInteger(goal)) throw new RangeError(`goal ${goal} is not a goal number`);
    let figures = decided.get(goal);
    if (!figures) decided.set(goal, (figures = decideGoal(offices, threshold, goal)));
    return figures;
  };
  return {
    k: threshold,
    figure(goal, group) {
      const index = GROUP_INDEX.get(groupId(group));
      if (index === undefined) throw new RangeError(`no such group ${groupId(group)}`);
      return goalFigures(goal)[index];
    },
    lattice: (goal) => goalFigures(goal).map((figure, i) => ({ group: LATTICE[i], figure })),
  };
}

export type FigureRequest = { goal: number; group: GroupKey };

/** Answers a set of requests (e.g. one page's); the answers do not depend on the set or its order. */
export function compare(
  cohort: readonly CohortEntry[],
  k: number | null | undefined,
  requests: readonly FigureRequest[],
  viewer: ViewerKnowledge = {},
) {
  const comparison = createComparison(cohort, k, viewer);
  return requests.map((request) => ({ ...request, figure: comparison.figure(request.goal, request.group) }));
}

export type TrendRound = { id: string; cohort: readonly CohortEntry[]; k: number | null | undefined } & ViewerKnowledge;

/**
 * The network's figure for a goal in each round, in the order given; each round with its
 * own cohort and k, under the same rule as any other figure. Returns ids, never cohorts.
 */
export function networkTrend(rounds: readonly TrendRound[], goal: number): Array<{ id: string; figure: Figure }> {
  return rounds.map((round) => ({
    id: round.id,
    figure: createComparison(round.cohort, round.k, round).figure(goal, { kind: null, size: null }),
  }));
}
