import { z } from 'zod';
import { presetParametersSchema } from './parameters';
import { presetSchema } from './preset';

/** JSON Schema draft-07 is what the Scaffolder's forms (react-jsonschema-form) validate with. */
const options = { target: 'draft-7', io: 'input' } as const;

/**
 * The JSON Schema of the provisioning parameters, generated from {@link presetParametersSchema};
 * template forms take their fields (patterns, bounds, enums, descriptions) from it.
 *
 * @public
 */
export function presetParametersJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(presetParametersSchema, options) as Record<
    string,
    unknown
  >;
}

/**
 * The JSON Schema of a `preset.yaml`, generated from {@link presetSchema}, for editors and CI.
 *
 * @public
 */
export function presetJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(presetSchema, options) as Record<string, unknown>;
}
