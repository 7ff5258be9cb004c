import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { SparkAppSource } from './sources';

/**
 * Lets backend modules add sources of Spark apps to the Spark backend.
 *
 * @public
 */
export interface SparkSourcesExtensionPoint {
  /** Adds sources; their ids must be unique. */
  addSource(...sources: SparkAppSource[]): void;
}

/**
 * The extension point for {@link SparkSourcesExtensionPoint}.
 *
 * @public
 */
export const sparkSourcesExtensionPoint =
  createExtensionPoint<SparkSourcesExtensionPoint>({
    id: 'spark.sources',
  });
