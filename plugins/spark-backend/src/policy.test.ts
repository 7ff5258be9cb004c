import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  sparkAppReadPermission,
  sparkCostReadPermission,
} from '@spark-k8s/plugin-spark-common';
import { SparkTeamPermissionPolicy } from './policy';

const userInfo = {
  async getUserInfo(credentials: any) {
    const ref = credentials.principal.userEntityRef as string;
    return {
      userEntityRef: ref,
      ownershipEntityRefs: [
        ref,
        ...({
          'user:default/alice': ['group:default/payments-data'],
          'user:default/lead': [
            'group:default/payments-data',
            'group:default/team-leads',
          ],
        }[ref] ?? []),
      ],
    };
  },
};
const user = (ref: string) =>
  ({
    credentials: { principal: { type: 'user', userEntityRef: ref } },
  } as any);

describe('SparkTeamPermissionPolicy and costs', () => {
  it('lets whoever sees a team’s apps see their cost by default', async () => {
    const policy = new SparkTeamPermissionPolicy({
      userInfo: userInfo as any,
      adminGroupRefs: [],
    });
    const decision = await policy.handle(
      { permission: sparkCostReadPermission },
      user('user:default/alice'),
    );
    expect(decision.result).toBe(AuthorizeResult.CONDITIONAL);
  });

  it('denies cost to people outside spark.permissions.costGroups, not their apps', async () => {
    const policy = new SparkTeamPermissionPolicy({
      userInfo: userInfo as any,
      adminGroupRefs: [],
      costGroupRefs: ['group:default/team-leads'],
    });
    const alice = user('user:default/alice');
    expect(
      (await policy.handle({ permission: sparkCostReadPermission }, alice))
        .result,
    ).toBe(AuthorizeResult.DENY);
    expect(
      (await policy.handle({ permission: sparkAppReadPermission }, alice))
        .result,
    ).toBe(AuthorizeResult.CONDITIONAL);
    expect(
      (
        await policy.handle(
          { permission: sparkCostReadPermission },
          user('user:default/lead'),
        )
      ).result,
    ).toBe(AuthorizeResult.CONDITIONAL);
  });
});
