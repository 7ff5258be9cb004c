import type { RenderedPreset } from '../render/render';
import { withOverheadMiB, type RenderedObject } from '../render/objects';
import { objectRef, type ValidationFinding } from './findings';
import { podSpecsOf } from './podSpecs';

/** Kubernetes quantities presets use: cores ("2", "500m") and memory ("512Mi", "4Gi"). */
export function parseQuantity(value: string | number | undefined): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  const match = /^([0-9.]+)(m|Ki|Mi|Gi|Ti)?$/.exec(value);
  if (!match) return NaN;
  const n = Number(match[1]);
  const unit = match[2];
  switch (unit) {
    case 'm':
      return n / 1000;
    case 'Ki':
      return n / (1024 * 1024);
    case 'Mi':
      return n / 1024;
    case 'Gi':
      return n;
    case 'Ti':
      return n * 1024;
    default:
      return n;
  }
}

/** CPU cores, GiB and GPUs one demand line asks for at peak. */
export interface Demand {
  what: string;
  cpu: number;
  memoryGiB: number;
  gpus: number;
  pods: number;
  /** Runs around the clock (workloads) or only while Spark apps run (executors, operator apps). */
  alwaysOn: boolean;
  /** On spot capacity. */
  spot: boolean;
}

function containerDemand(spec: Record<string, any>) {
  const sum = (list: any[]) =>
    list.reduce(
      (acc, c) => ({
        cpu: acc.cpu + parseQuantity(c.resources?.requests?.cpu ?? '250m'),
        memoryGiB:
          acc.memoryGiB +
          parseQuantity(c.resources?.requests?.memory ?? '512Mi'),
        gpus: acc.gpus + parseQuantity(c.resources?.limits?.['nvidia.com/gpu']),
      }),
      { cpu: 0, memoryGiB: 0, gpus: 0 },
    );
  const main = sum(spec.containers ?? []);
  // Init containers run before the others, so a pod needs the larger of the two.
  for (const init of spec.initContainers ?? []) {
    const one = sum([init]);
    main.cpu = Math.max(main.cpu, one.cpu);
    main.memoryGiB = Math.max(main.memoryGiB, one.memoryGiB);
  }
  return main;
}

/**
 * What the environment asks of the cluster: every workload's replicas, and the Spark drivers
 * and executors it starts. At `peak`, dynamic allocation is at its maximum; `typical` takes the
 * middle of its range (what the cost estimate assumes).
 */
export function demand(
  rendered: RenderedPreset,
  level: 'peak' | 'typical' = 'peak',
): Demand[] {
  const { parameters: p, spark, objects } = rendered;
  const demands: Demand[] = [];
  for (const object of objects) {
    if (object.kind === 'ConfigMap') continue;
    for (const found of podSpecsOf(object)) {
      const one = containerDemand(found.spec);
      if (found.replicas === 0) continue;
      demands.push({
        what: objectRef(object),
        cpu: one.cpu * found.replicas,
        memoryGiB: one.memoryGiB * found.replicas,
        gpus: one.gpus * found.replicas,
        pods: found.replicas,
        alwaysOn: true,
        spot: false,
      });
    }
  }
  const dynamic = spark.conf['spark.dynamicAllocation.enabled'] === 'true';
  let executors = p.executor.instances;
  if (dynamic) {
    executors =
      level === 'peak'
        ? p.executor.maxInstances
        : (p.executor.instances + p.executor.maxInstances) / 2;
  }
  const overhead = p.job.type === 'Python' ? 0.4 : 0.1;
  const executorDemand = (what: string, count: number): Demand => ({
    what,
    cpu: p.executor.cores * count,
    memoryGiB: (withOverheadMiB(p.executor.memoryGiB, overhead) / 1024) * count,
    gpus: p.executor.gpus * count,
    pods: count,
    alwaysOn: false,
    spot:
      p.spot && rendered.preset.components.some(c => c.use === 'spot-nodes'),
  });
  const runsOnKubernetes = rendered.preset.backend !== 'standalone';
  const hasConnect = rendered.preset.components.some(
    c => c.use === 'connect-server',
  );
  if (runsOnKubernetes && hasConnect) {
    demands.push(
      executorDemand('executors of the Spark Connect server', executors),
    );
  }
  const apps = objects.filter(o =>
    ['SparkApplication', 'ScheduledSparkApplication'].includes(o.kind),
  );
  const submits = rendered.preset.components.some(
    c => c.use === 'spark-submit',
  );
  for (const app of submits && apps.length === 0 ? [undefined] : apps) {
    const what = app ? objectRef(app) : 'one spark-submit app';
    demands.push({
      what: `driver of ${what}`,
      cpu: p.driver.cores,
      memoryGiB: withOverheadMiB(p.driver.memoryGiB, overhead) / 1024,
      gpus: 0,
      pods: 1,
      alwaysOn: false,
      spot: false,
    });
    demands.push(executorDemand(`executors of ${what}`, executors));
  }
  return demands;
}

/** The environment's peak demand against its ResourceQuota, resource by resource. */
export function quotaFindings(rendered: RenderedPreset): ValidationFinding[] {
  const quota = rendered.objects.find(o => o.kind === 'ResourceQuota') as
    | (RenderedObject & { spec: { hard: Record<string, string> } })
    | undefined;
  if (!quota) return [];
  const demands = demand(rendered, 'peak');
  const total = (key: 'cpu' | 'memoryGiB' | 'gpus' | 'pods') =>
    demands.reduce((sum, d) => sum + d[key], 0);
  const checks: Array<[string, number, string, (n: number) => string]> = [
    [
      'requests.cpu',
      total('cpu'),
      'parameters.quota.cpu',
      n => `${Math.ceil(n * 100) / 100} cores`,
    ],
    [
      'requests.memory',
      total('memoryGiB'),
      'parameters.quota.memoryGiB',
      n => `${Math.ceil(n * 10) / 10} GiB`,
    ],
    [
      'requests.nvidia.com/gpu',
      total('gpus'),
      'parameters.quota.gpus',
      n => `${n} GPUs`,
    ],
    ['pods', total('pods'), 'parameters.quota.pods', n => `${n} pods`],
  ];
  const findings: ValidationFinding[] = [];
  for (const [key, needed, parameter, show] of checks) {
    const hard = parseQuantity(quota.spec.hard[key]);
    if (needed > hard + 1e-9) {
      const top = [...demands]
        .sort((a, b) => b.cpu - a.cpu)
        .slice(0, 3)
        .map(d => d.what)
        .join(', ');
      findings.push({
        severity: 'error',
        rule: 'quota.fit',
        object: objectRef(quota),
        path: `spec.hard["${key}"]`,
        message: `the environment needs ${show(
          needed,
        )} at peak but the quota allows ${show(
          hard,
        )}; raise ${parameter} or lower the executors (largest: ${top})`,
      });
    }
  }
  return findings;
}
