import type { z } from 'zod';
import { presetParametersSchema } from './parameters';
import type { Preset, PresetParameters, PresetParametersInput } from './types';

/**
 * A rejected field: its path (`executor.cores`, `job.arguments[2]`) and why.
 *
 * @public
 */
export interface PresetFieldIssue {
  /** The field, e.g. `executor.cores` or `job.arguments[2]`. */
  path: string;
  /** What is wrong with it, phrased to follow the path ("must be at most 32 cores"). */
  message: string;
}

/**
 * A zod issue path as one string: `executor.cores`, `job.arguments[2]`, `overrides.sparkConf["x"]`.
 *
 * @public
 */
export function formatFieldPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && /^[A-Za-z_][\w-]*$/.test(segment))
      out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out || '(root)';
}

/**
 * The issues of a failed zod parse, one per field, with unknown keys named one by one.
 *
 * @public
 */
export function fieldIssues(error: z.ZodError): PresetFieldIssue[] {
  return error.issues.flatMap(issue => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map(key => ({
        path: formatFieldPath([...issue.path, key]),
        message: 'is not a known field',
      }));
    }
    return [{ path: formatFieldPath(issue.path), message: issue.message }];
  });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.getPrototypeOf(value) === Object.prototype
  );
}

/** Nested objects merge key by key; arrays and scalars of `over` replace those of `base`. */
function mergeDefaults(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) {
    return over === undefined ? base : over;
  }
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    // defineProperty keeps a "__proto__" key an own (and so rejected) field, not a prototype.
    Object.defineProperty(merged, key, {
      value: mergeDefaults(
        Object.hasOwn(base, key) ? base[key] : undefined,
        value,
      ),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return merged;
}

/**
 * The parameters of one provisioning: the preset's parameter defaults under the user's input,
 * validated as a whole. The user's input must be a plain object; nothing but the schema's
 * fields gets through.
 *
 * @public
 */
export function resolvePresetParameters(
  preset: Preset,
  input: PresetParametersInput | unknown,
):
  | { success: true; parameters: PresetParameters }
  | { success: false; issues: PresetFieldIssue[] } {
  if (!isPlainObject(input)) {
    return {
      success: false,
      issues: [{ path: '(root)', message: 'must be an object' }],
    };
  }
  const result = presetParametersSchema.safeParse(
    mergeDefaults(preset.overrides.parameters, input),
  );
  if (!result.success) {
    return { success: false, issues: fieldIssues(result.error) };
  }
  if (!preset.sparkVersions.includes(result.data.sparkVersion)) {
    return {
      success: false,
      issues: [
        {
          path: 'sparkVersion',
          message: `must be one of ${preset.sparkVersions.join(
            ', ',
          )} for preset "${preset.name}"`,
        },
      ],
    };
  }
  return { success: true, parameters: result.data };
}
