/**
 * An office's effective deadline in a round: the deadline the network admin extended for that
 * office, else the round's. The one definition in TypeScript; SQL asks
 * app_effective_deadline(round_participant, assessment_round) (migration
 * 20261206001000_effective_deadline), and tests/integration/assessment/effective-deadline.test.ts holds
 * both to the same answers.
 */
export function effectiveDeadline(participant: { deadlineOverride: Date | null }, round: { deadline: Date }): Date {
  return participant.deadlineOverride ?? round.deadline;
}
