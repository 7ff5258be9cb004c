import { parse } from 'yaml';
import type { RenderedObject } from '../render/objects';

/** A pod spec inside a rendered object, with the field path that leads to it. */
export interface FoundPodSpec {
  path: string;
  /** Replicas of the pod that can run at once (for quota fit). */
  replicas: number;
  spec: Record<string, any>;
}

/** Where the pod specs are in the kinds presets render. */
export function podSpecsOf(object: RenderedObject): FoundPodSpec[] {
  const o = object as any;
  switch (object.kind) {
    case 'Pod':
      return [{ path: 'spec', replicas: 1, spec: o.spec }];
    case 'Deployment':
    case 'StatefulSet':
    case 'ReplicaSet':
      return [
        {
          path: 'spec.template.spec',
          replicas: o.spec.replicas ?? 1,
          spec: o.spec.template.spec,
        },
      ];
    case 'Job':
      return [
        { path: 'spec.template.spec', replicas: 1, spec: o.spec.template.spec },
      ];
    case 'CronJob':
      return [
        {
          path: 'spec.jobTemplate.spec.template.spec',
          // A suspended CronJob (the metastore restore) runs only by hand, one at a time.
          replicas: 1,
          spec: o.spec.jobTemplate.spec.template.spec,
        },
      ];
    case 'ConfigMap':
      return Object.entries(o.data ?? {})
        .filter(([key]) => key.endsWith('pod-template.yaml'))
        .map(([key, text]) => ({
          path: `data["${key}"].spec`,
          replicas: 0,
          spec: (parse(text as string) as any)?.spec ?? {},
        }));
    default:
      return [];
  }
}
