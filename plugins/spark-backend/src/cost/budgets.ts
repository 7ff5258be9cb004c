import type { Config } from '@backstage/config';
import { type Entity, stringifyEntityRef } from '@backstage/catalog-model';

/** The Group annotation holding a team's monthly Spark budget, e.g. `"300"`. */
export const MONTHLY_BUDGET_ANNOTATION = 'spark-k8s.io/monthly-budget';

/** `spark.cost.budgets`: team ref → monthly budget. */
export function readBudgets(config: Config): Map<string, number> {
  const budgets = new Map<string, number>();
  (config.getOptionalConfigArray('spark.cost.budgets') ?? []).forEach(
    (budget, index) => {
      const monthly = budget.getNumber('monthly');
      if (!Number.isFinite(monthly) || monthly < 0) {
        throw new Error(
          `spark.cost.budgets[${index}].monthly must be a number of at least 0`,
        );
      }
      budgets.set(budget.getString('team').toLowerCase(), monthly);
    },
  );
  return budgets;
}

/** A team's budget: `spark.cost.budgets` first (set centrally), else its Group's annotation. */
export function budgetOf(
  teamRef: string,
  configured: Map<string, number>,
  groups: Entity[],
): { monthly: number; source: 'config' | 'annotation' } | undefined {
  const ref = teamRef.toLowerCase();
  const fromConfig = configured.get(ref);
  if (fromConfig !== undefined)
    return { monthly: fromConfig, source: 'config' };
  const group = groups.find(
    entity =>
      entity.kind.toLowerCase() === 'group' &&
      stringifyEntityRef(entity).toLowerCase() === ref,
  );
  const value = Number(
    group?.metadata.annotations?.[MONTHLY_BUDGET_ANNOTATION],
  );
  return group?.metadata.annotations?.[MONTHLY_BUDGET_ANNOTATION] !==
    undefined &&
    Number.isFinite(value) &&
    value >= 0
    ? { monthly: value, source: 'annotation' }
    : undefined;
}
