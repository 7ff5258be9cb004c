import type { UserInfoService } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isResourcePermission,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  SPARK_APP_RESOURCE_TYPE,
  sparkCostReadPermission,
  sparkSourceReadPermission,
} from '@spark-k8s/plugin-spark-common';
import {
  createSparkAppConditionalDecision,
  sparkAppConditions,
} from './permissions';

/**
 * Options of {@link SparkTeamPermissionPolicy}.
 *
 * @public
 */
export interface SparkTeamPermissionPolicyOptions {
  /** Resolves a user's ownership refs (their groups). */
  userInfo: UserInfoService;
  /** Groups whose members see every Spark app (platform / SRE teams), e.g. `group:default/spark-sre`. */
  adminGroupRefs: string[];
  /**
   * When set, only members of these groups (and admins) see costs, each of their own teams'
   * apps (`spark.cost.read`); when absent, whoever sees an app sees its cost.
   */
  costGroupRefs?: string[];
  /** Decides every permission that is not the Spark plugins'; default: allow. */
  fallback?: PermissionPolicy;
}

/**
 * A permission policy for the Spark plugins: members of the admin groups see every app; everyone
 * else sees the apps of the groups they belong to (and of those groups' child teams) and, unless
 * `costGroupRefs` narrows it, their cost; source health is visible to every signed-in user.
 *
 * @public
 */
export class SparkTeamPermissionPolicy implements PermissionPolicy {
  private readonly admins: Set<string>;

  constructor(private readonly options: SparkTeamPermissionPolicyOptions) {
    this.admins = new Set(options.adminGroupRefs.map(ref => ref.toLowerCase()));
  }

  /** Decides one permission request for one user. */
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    if (!permission.name.startsWith('spark.')) {
      return this.options.fallback
        ? this.options.fallback.handle(request, user)
        : { result: AuthorizeResult.ALLOW };
    }
    if (!user) return { result: AuthorizeResult.DENY };
    const { ownershipEntityRefs } = await this.options.userInfo.getUserInfo(
      user.credentials,
    );
    if (ownershipEntityRefs.some(ref => this.admins.has(ref.toLowerCase()))) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (permission.name === sparkSourceReadPermission.name) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (
      permission.name === sparkCostReadPermission.name &&
      this.options.costGroupRefs &&
      !ownershipEntityRefs.some(ref =>
        this.options.costGroupRefs!.some(
          group => group.toLowerCase() === ref.toLowerCase(),
        ),
      )
    ) {
      return { result: AuthorizeResult.DENY };
    }
    if (isResourcePermission(permission, SPARK_APP_RESOURCE_TYPE)) {
      return createSparkAppConditionalDecision(
        permission,
        sparkAppConditions.isOwnedByTeam({ teamRefs: ownershipEntityRefs }),
      );
    }
    return { result: AuthorizeResult.DENY };
  }
}
