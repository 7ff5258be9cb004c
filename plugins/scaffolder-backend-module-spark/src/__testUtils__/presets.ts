import type { Preset, SparkVersion } from '@spark-k8s/plugin-spark-common';
import path from 'node:path';
import { loadPresets } from '../presets/loadPresets';

/** The repository's presets/ folder. */
export const PRESETS_DIR = path.resolve(__dirname, '../../../../presets');

export const presets = loadPresets(PRESETS_DIR);

/** Parameters that satisfy every component (storage for History Server, metastore, Iceberg). */
export function parametersFor(
  preset: Preset,
  sparkVersion: SparkVersion,
  extra: Record<string, unknown> = {},
) {
  return {
    name: 'team-a',
    namespace: `ns-${preset.name}`.slice(0, 63),
    owner: 'group:default/team-a',
    sparkVersion,
    storage: {
      endpoint: 'http://minio.storage:9000',
      eventLogDir: 's3a://spark-events/team-a',
      warehouseDir: 's3a://lake/team-a',
      backupDir: 's3a://backups/team-a/metastore',
    },
    ...extra,
  };
}

/** Every preset × each Spark version it is offered for. */
export const presetMatrix: Array<[string, SparkVersion]> = [
  ...presets.values(),
].flatMap(preset =>
  preset.sparkVersions.map(v => [preset.name, v] as [string, SparkVersion]),
);
