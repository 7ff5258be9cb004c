import type { SparkDiagnosisRule } from '@spark-k8s/plugin-spark-node';
import { executorRules } from './executors';
import { kubernetesRules } from './kubernetes';
import { memoryRules } from './memory';
import { operatorRules } from './operator';
import { taskRules } from './tasks';

/** Every rule the Spark backend ships; modules add more through the diagnosis extension point. */
export const builtInRules: SparkDiagnosisRule<any>[] = [
  ...memoryRules,
  ...taskRules,
  ...executorRules,
  ...kubernetesRules,
  ...operatorRules,
];
