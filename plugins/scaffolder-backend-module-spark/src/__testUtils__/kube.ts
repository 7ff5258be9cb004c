import {
  KubeConfig,
  loadAllYaml,
  V1CustomResourceDefinition,
} from '@kubernetes/client-node';
import { installCrds } from '@spark-k8s/harness';
import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { RenderedObject } from '../render/objects';
import { podSpecsOf } from '../validate/podSpecs';

const CRD_DIR = path.join(__dirname, '..', '__fixtures__', 'crds');

/** Installs the vendored spark-operator CRDs and waits until they are Established. */
export async function installOperatorCrds(kc: KubeConfig): Promise<void> {
  for (const file of fs
    .readdirSync(CRD_DIR)
    .filter(f => f.endsWith('.yaml.gz'))) {
    await installCrds(
      kc,
      loadAllYaml(
        gunzipSync(fs.readFileSync(path.join(CRD_DIR, file))).toString('utf8'),
      ) as V1CustomResourceDefinition[],
    );
  }
}

/**
 * A Pod for each pod template of the objects, as a controller would create it. Pod Security
 * admission enforces on Pods only (workloads just get warnings), so these prove the templates
 * are admitted.
 */
export function probePods(objects: RenderedObject[]): RenderedObject[] {
  return objects.flatMap(object =>
    podSpecsOf(object).map((found, index) => {
      const claims = ((object as any).spec?.volumeClaimTemplates ?? []).map(
        (claim: any) => ({
          name: claim.metadata.name,
          persistentVolumeClaim: { claimName: `${claim.metadata.name}-probe` },
        }),
      );
      return {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: `probe-${object.kind.toLowerCase()}-${
            object.metadata.name
          }-${index}`
            .slice(0, 63)
            .replace(/-+$/, ''),
          namespace: object.metadata.namespace,
        },
        spec: {
          ...found.spec,
          volumes: [...(found.spec.volumes ?? []), ...claims],
        },
      };
    }),
  );
}
