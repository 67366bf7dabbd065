import { useSyncExternalStore } from "react";

const noSubscription = () => () => {};

/**
 * False during the server render and the hydration pass, true afterwards (React re-renders
 * once). Charts are drawn only then: the CSP blocks Recharts' inline styles in server HTML,
 * and chart SVG was most of a dashboard's server time and bytes (bench/RESULTS.md).
 */
export function useHydrated() {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}
