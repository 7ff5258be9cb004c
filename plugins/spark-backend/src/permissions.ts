import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import {
  SPARK_APP_RESOURCE_TYPE,
  type SparkAppSummary,
} from '@spark-k8s/plugin-spark-common';
import { z } from 'zod';
import type { SparkAppFilter } from './store/SparkStore';

/**
 * The Spark app resource of the permission framework: rules apply to stored app summaries and
 * turn into store filters.
 *
 * @public
 */
export const sparkAppPermissionResourceRef = createPermissionResourceRef<
  SparkAppSummary,
  SparkAppFilter
>().with({ pluginId: 'spark', resourceType: SPARK_APP_RESOURCE_TYPE });

const lower = (refs: string[]) => refs.map(ref => ref.toLowerCase());

const isOwnedByTeam = createPermissionRule({
  name: 'IS_OWNED_BY_TEAM',
  description:
    'Allow Spark apps owned by one of the given groups, directly or through a child group',
  resourceRef: sparkAppPermissionResourceRef,
  paramsSchema: z.object({
    teamRefs: z
      .array(z.string())
      .describe('Group refs, e.g. the ownership refs of the signed-in user'),
  }),
  apply: (app, { teamRefs }) => {
    const wanted = new Set(lower(teamRefs));
    return app.attribution.teamRefs.some(ref => wanted.has(ref.toLowerCase()));
  },
  toQuery: ({ teamRefs }) => ({ teamRefs: lower(teamRefs) }),
});

const isUnowned = createPermissionRule<
  typeof sparkAppPermissionResourceRef,
  undefined
>({
  name: 'IS_UNOWNED',
  description:
    'Allow Spark apps that no catalog Component or namespace mapping claims',
  resourceRef: sparkAppPermissionResourceRef,
  apply: app => !app.attribution.teamRef,
  toQuery: () => ({ unowned: true }),
});

/**
 * The permission rules of Spark apps.
 *
 * @public
 */
export const sparkAppPermissionRules = { isOwnedByTeam, isUnowned };

const exported = createConditionExports({
  resourceRef: sparkAppPermissionResourceRef,
  rules: sparkAppPermissionRules,
});

/**
 * Condition factories for permission policies, e.g.
 * `sparkAppConditions.isOwnedByTeam({ teamRefs: user.info.ownershipEntityRefs })`.
 *
 * @public
 */
export const sparkAppConditions = exported.conditions;

/**
 * Wraps Spark app conditions into a conditional policy decision.
 *
 * @public
 */
export const createSparkAppConditionalDecision =
  exported.createConditionalDecision;
