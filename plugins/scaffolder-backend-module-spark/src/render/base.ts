import {
  environmentLabels,
  namespaced,
  withOverheadMiB,
  type RenderContext,
  type RenderedObject,
} from './objects';
import { sparkConfMap, type SparkSetup } from './spark';

/** Pod Security admission enforces, warns and audits at "restricted" in every environment. */
export function namespaceObject(ctx: RenderContext): RenderedObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: ctx.namespace,
      labels: {
        ...environmentLabels(ctx.parameters, ctx.preset, 'namespace'),
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/enforce-version': 'latest',
        'pod-security.kubernetes.io/warn': 'restricted',
        'pod-security.kubernetes.io/warn-version': 'latest',
        'pod-security.kubernetes.io/audit': 'restricted',
        'pod-security.kubernetes.io/audit-version': 'latest',
      },
      ...(ctx.parameters.owner
        ? { annotations: { 'backstage.io/owner': ctx.parameters.owner } }
        : {}),
    },
  };
}

/** What a Spark driver does to its executors: create and delete pods, services, configmaps, PVCs. */
const DRIVER_RULES = [
  {
    apiGroups: [''],
    resources: ['pods', 'services', 'configmaps', 'persistentvolumeclaims'],
    verbs: [
      'create',
      'get',
      'list',
      'watch',
      'patch',
      'update',
      'delete',
      'deletecollection',
    ],
  },
];

/** The driver's service account, its Role, and the binding; submitters bind the same Role. */
export function driverRbac(
  ctx: RenderContext,
  extraSubjects: string[] = [],
): RenderedObject[] {
  const role = ctx.name('spark-driver');
  return [
    namespaced(ctx, 'v1', 'ServiceAccount', ctx.sparkServiceAccount, 'spark', {
      automountServiceAccountToken: false,
    }),
    namespaced(ctx, 'rbac.authorization.k8s.io/v1', 'Role', role, 'spark', {
      rules: DRIVER_RULES,
    }),
    namespaced(
      ctx,
      'rbac.authorization.k8s.io/v1',
      'RoleBinding',
      role,
      'spark',
      {
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'Role',
          name: role,
        },
        subjects: [ctx.sparkServiceAccount, ...extraSubjects].map(name => ({
          kind: 'ServiceAccount',
          name,
          namespace: ctx.namespace,
        })),
      },
    ),
  ];
}

/** The namespace's ResourceQuota and the LimitRange that gives unsized containers defaults. */
export function guardrails(ctx: RenderContext): RenderedObject[] {
  const q = ctx.parameters.quota;
  const { driver, executor } = ctx.parameters;
  const largestCores = Math.max(driver.cores, executor.cores, 4);
  const largestMiB = Math.max(
    withOverheadMiB(driver.memoryGiB, 0.4),
    withOverheadMiB(executor.memoryGiB, 0.4),
    8192,
  );
  return [
    namespaced(ctx, 'v1', 'ResourceQuota', ctx.name('quota'), 'guardrails', {
      spec: {
        hard: {
          'requests.cpu': `${q.cpu}`,
          'limits.cpu': `${q.cpu}`,
          'requests.memory': `${q.memoryGiB}Gi`,
          'limits.memory': `${q.memoryGiB}Gi`,
          'requests.nvidia.com/gpu': `${q.gpus}`,
          pods: `${q.pods}`,
        },
      },
    }),
    namespaced(ctx, 'v1', 'LimitRange', ctx.name('limits'), 'guardrails', {
      spec: {
        limits: [
          {
            type: 'Container',
            defaultRequest: { cpu: '250m', memory: '512Mi' },
            default: { cpu: '1', memory: '512Mi' },
            max: { cpu: `${largestCores}`, memory: `${largestMiB}Mi` },
          },
        ],
      },
    }),
  ];
}

/** Only pods of the namespace reach its pods; egress stays open (API server, object storage). */
export function networkPolicy(ctx: RenderContext): RenderedObject {
  return namespaced(
    ctx,
    'networking.k8s.io/v1',
    'NetworkPolicy',
    ctx.name('same-namespace'),
    'guardrails',
    {
      spec: {
        podSelector: {},
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ podSelector: {} }] }],
      },
    },
  );
}

/** Every environment has these, whatever its components. */
export function baseObjects(
  ctx: RenderContext,
  spark: SparkSetup,
  submitterAccounts: string[],
): RenderedObject[] {
  return [
    namespaceObject(ctx),
    ...guardrails(ctx),
    networkPolicy(ctx),
    ...driverRbac(ctx, submitterAccounts),
    sparkConfMap(ctx, spark),
  ];
}
