import type {
  BackstageCredentials,
  PermissionsRegistryService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AuthorizeResult,
  type ResourcePermission,
} from '@backstage/plugin-permission-common';
import { createConditionTransformer } from '@backstage/plugin-permission-node';
import {
  sparkAppReadPermission,
  SPARK_APP_RESOURCE_TYPE,
} from '@spark-k8s/plugin-spark-common';
import { sparkAppPermissionResourceRef } from '../permissions';
import type { SparkAppFilter, SparkStore } from '../store/SparkStore';

/** What a caller may see of Spark apps: everything, nothing, or what a filter lets through. */
export type AppAccess =
  | { kind: 'all' }
  | { kind: 'none' }
  | { kind: 'filtered'; filter: SparkAppFilter };

/**
 * Decides access to Spark apps once per request and applies it to lists (as a store filter)
 * and to single apps (DENY → 403; a conditional miss → 404, so apps of other teams stay unknown).
 */
export class SparkAppAuthorizer {
  private readonly toFilter;

  constructor(
    private readonly store: SparkStore,
    private readonly permissions: PermissionsService,
    permissionsRegistry: PermissionsRegistryService,
  ) {
    this.toFilter = createConditionTransformer(
      permissionsRegistry.getPermissionRuleset(sparkAppPermissionResourceRef),
    );
  }

  async access(
    credentials: BackstageCredentials,
    permission: ResourcePermission<
      typeof SPARK_APP_RESOURCE_TYPE
    > = sparkAppReadPermission,
  ): Promise<AppAccess> {
    const [decision] = await this.permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.ALLOW) return { kind: 'all' };
    if (decision.result !== AuthorizeResult.CONDITIONAL)
      return { kind: 'none' };
    return {
      kind: 'filtered',
      filter: this.toFilter(decision.conditions) as SparkAppFilter,
    };
  }

  /** Lists: undefined = no filter; throws for DENY. */
  async listFilter(
    credentials: BackstageCredentials,
    permission?: ResourcePermission<typeof SPARK_APP_RESOURCE_TYPE>,
  ): Promise<SparkAppFilter | undefined> {
    const access = await this.access(credentials, permission);
    if (access.kind === 'none') {
      throw new NotAllowedError(
        `not allowed: ${(permission ?? sparkAppReadPermission).name}`,
      );
    }
    return access.kind === 'filtered' ? access.filter : undefined;
  }

  /** One app: resolves when the caller may see it. */
  async assertApp(
    credentials: BackstageCredentials,
    appId: string,
    permission: ResourcePermission<
      typeof SPARK_APP_RESOURCE_TYPE
    > = sparkAppReadPermission,
  ): Promise<void> {
    const access = await this.access(credentials, permission);
    if (access.kind === 'none') {
      throw new NotAllowedError(`not allowed: ${permission.name}`);
    }
    await this.store.getApp(appId);
    if (
      access.kind === 'filtered' &&
      !(await this.store.appMatches(appId, access.filter))
    ) {
      throw new NotFoundError(`Spark app ${appId} is not known`);
    }
  }
}
