import type { z as zv3 } from 'zod/v3';

/**
 * The inputs every spark:* action takes. The parameters are checked by the preset schema of
 * spark-common inside the action (the one schema the template forms are generated from).
 */
export const presetInput = {
  preset: (z: typeof zv3) =>
    z
      .string()
      .describe(
        'Name of the preset, a folder of presets/ (e.g. "batch-spark-operator")',
      ),
  parameters: (z: typeof zv3) =>
    z
      .record(z.unknown())
      .describe(
        'Provisioning parameters (name, namespace, sparkVersion, driver, executor, quota, storage…); see presets/preset.schema.json',
      ),
};
