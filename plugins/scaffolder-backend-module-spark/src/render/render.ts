import {
  resolvePresetParameters,
  type Preset,
  type PresetComponent,
  type PresetFieldIssue,
  type PresetParameters,
} from '@spark-k8s/plugin-spark-common';
import { stringify } from 'yaml';
import { baseObjects } from './base';
import {
  airflowServiceAccount,
  COMPONENTS,
  MissingParameterError,
} from './components';
import type { Component, SparkContribution } from './components/types';
import {
  environmentLabels,
  type RenderContext,
  type RenderedObject,
} from './objects';
import { sparkSetup, type SparkSetup } from './spark';
import { defaultSparkImage } from './versions';

/**
 * A preset rendered for one set of parameters.
 *
 * @public
 */
export interface RenderedPreset {
  /** The preset rendered. */
  preset: Preset;
  /** The parameters after the preset's and the schema's defaults. */
  parameters: PresetParameters;
  /** The Spark conf and pod templates every Spark app of the environment uses. */
  spark: SparkSetup;
  /** The objects, in the order they are applied (namespace first). */
  objects: RenderedObject[];
}

/**
 * Parameters a preset cannot be rendered with, each naming its field.
 *
 * @public
 */
export class PresetRenderError extends Error {
  /** The preset's name. */
  readonly preset: string;
  /** Every parameter that keeps it from rendering. */
  readonly issues: PresetFieldIssue[];

  constructor(preset: string, issues: PresetFieldIssue[]) {
    super(
      `preset "${preset}" cannot be rendered: ${issues
        .map(i => `${i.path} ${i.message}`)
        .join('; ')}`,
    );
    this.name = 'PresetRenderError';
    this.preset = preset;
    this.issues = issues;
  }
}

function componentOf(entry: PresetComponent): Component<typeof entry.use> {
  return COMPONENTS[entry.use] as Component<typeof entry.use>;
}

function contextFor(
  preset: Preset,
  parameters: PresetParameters,
): RenderContext {
  return {
    preset,
    parameters,
    namespace: parameters.namespace,
    security: preset.security,
    sparkImage: parameters.image ?? defaultSparkImage(parameters.sparkVersion),
    name: suffix => (suffix ? `${parameters.name}-${suffix}` : parameters.name),
    labels: component => environmentLabels(parameters, preset, component),
    sparkServiceAccount: `${parameters.name}-spark`,
  };
}

/**
 * Renders a preset with a user's parameters into Kubernetes objects. Pure: the same input
 * gives the same objects. Objects are built as data and only ever serialised by the YAML
 * library, so no parameter can add a key, a document or a shell word.
 *
 * @public
 */
export function renderPreset(preset: Preset, input: unknown): RenderedPreset {
  const resolved = resolvePresetParameters(preset, input);
  if (!resolved.success)
    throw new PresetRenderError(preset.name, resolved.issues);
  const parameters = resolved.parameters;
  const ctx = contextFor(preset, parameters);

  const issues: PresetFieldIssue[] = [];
  preset.components.forEach((entry, index) => {
    try {
      const reason = componentOf(entry).unsupported?.(ctx, entry.with as never);
      if (reason) {
        issues.push({
          path: `components[${index}] (${entry.use})`,
          message: reason,
        });
      }
    } catch (error) {
      if (!(error instanceof MissingParameterError)) throw error;
      issues.push({
        path: error.path,
        message: `is required by the ${entry.use} component`,
      });
    }
  });
  if (issues.length > 0) throw new PresetRenderError(preset.name, issues);

  const contributions: SparkContribution[] = preset.components.map(
    entry => componentOf(entry).spark?.(ctx, entry.with as never) ?? {},
  );
  const spark = sparkSetup(ctx, contributions);
  const submitters = preset.components.some(
    c => c.use === 'airflow' && c.with.submitWith === 'spark-submit',
  )
    ? [airflowServiceAccount(ctx)]
    : [];
  const objects = [
    ...baseObjects(ctx, spark, submitters),
    ...preset.components.flatMap(
      entry =>
        componentOf(entry).objects?.(ctx, entry.with as never, spark) ?? [],
    ),
  ];
  return { preset, parameters, spark, objects: dedupe(objects) };
}

/** Two components may render the same object (iceberg's hive catalog and hive-metastore). */
function dedupe(objects: RenderedObject[]): RenderedObject[] {
  const seen = new Set<string>();
  return objects.filter(o => {
    const key = objectKey(o);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** `apiVersion/kind namespace/name`, unique per object in a cluster. */
export function objectKey(o: RenderedObject): string {
  return `${o.apiVersion}/${o.kind} ${o.metadata.namespace ?? ''}/${
    o.metadata.name
  }`;
}

/**
 * The objects as one multi-document YAML stream, the way kubectl takes them.
 *
 * @public
 */
export function toYaml(objects: RenderedObject[]): string {
  return objects
    .map(o => stringify(o, { lineWidth: 0, aliasDuplicateObjects: false }))
    .join('---\n');
}
