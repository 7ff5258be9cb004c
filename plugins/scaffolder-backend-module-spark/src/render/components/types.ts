import type { V1Affinity, V1Toleration } from '@kubernetes/client-node';
import type {
  PresetComponent,
  PresetComponentId,
} from '@spark-k8s/plugin-spark-common';
import type { RenderContext, RenderedObject } from '../objects';
import type { SparkSetup } from '../spark';

/** What a component adds to the Spark apps of the environment. */
export interface SparkContribution {
  conf?: Record<string, string>;
  /** Maven coordinates for `spark.jars.packages`. */
  packages?: string[];
  executorTolerations?: V1Toleration[];
  executorAffinity?: V1Affinity;
}

/** Settings of one component, as its preset entry gives them. */
export type SettingsOf<U extends PresetComponentId> = Extract<
  PresetComponent,
  { use: U }
>['with'];

/** One shared component: the Spark conf it contributes and the objects it renders. */
export interface Component<U extends PresetComponentId> {
  /** Why the component cannot be rendered for these parameters (e.g. no artifact for that Spark line). */
  unsupported?(ctx: RenderContext, settings: SettingsOf<U>): string | undefined;
  spark?(ctx: RenderContext, settings: SettingsOf<U>): SparkContribution;
  objects?(
    ctx: RenderContext,
    settings: SettingsOf<U>,
    spark: SparkSetup,
  ): RenderedObject[];
}

/** A parameter a component needs and the user (or preset) left out. */
export class MissingParameterError extends Error {
  constructor(readonly path: string, component: string) {
    super(`${path} is required by the ${component} component`);
    this.name = 'MissingParameterError';
  }
}
