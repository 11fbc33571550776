import { create } from 'zustand';
import type { HardwareKind } from '../lab/engines/hardware';
import type { DriftLimits } from '../lab/fidelity/drift-judge';
import type { Objective, RecommendationNeeds } from '../lab/results/recommendation-needs';
import { defaultNeeds, parseRecommendationNeeds } from '../lab/results/recommendation-needs';
import { errorMessage } from '../lab/util/errors';

/** What the user needs from a deployment: the recommendation, the drift flags and the cost column all read it. */
interface RecommendationState {
  needs: RecommendationNeeds;
  /** Why the last edit was refused (the needs keep their last valid value). */
  error: string | null;
  setObjective: (objective: Objective) => void;
  /** Sets or clears (undefined) drift limits. */
  setDrift: (drift: DriftLimits) => void;
  setPrice: (kind: HardwareKind, dollarsPerHour: number) => void;
}

export const useRecommendationStore = create<RecommendationState>((set, get) => {
  const update = (next: unknown) => {
    try {
      set({ needs: parseRecommendationNeeds(next), error: null });
    } catch (error) {
      set({ error: errorMessage(error) });
    }
  };
  return {
    needs: defaultNeeds(),
    error: null,
    setObjective: (objective) => update({ ...get().needs, objective }),
    setDrift: (drift) => {
      const merged: Record<string, number | undefined> = { ...get().needs.drift, ...drift };
      update({ ...get().needs, drift: Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined)) });
    },
    setPrice: (kind, dollarsPerHour) => update({ ...get().needs, pricePerHour: { ...get().needs.pricePerHour, [kind]: dollarsPerHour } }),
  };
});
