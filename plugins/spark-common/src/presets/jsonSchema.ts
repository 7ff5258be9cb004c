import { z } from 'zod';
import { presetParametersSchema } from './parameters';
import { presetSchema } from './preset';

/** JSON Schema draft-07 is what the Scaffolder's forms (react-jsonschema-form) validate with. */
const options = { target: 'draft-7', io: 'input' } as const;

type JsonSchema = Record<string, unknown>;

/** The JSON Schema keyword a zod check becomes, for the type the check is on. */
function keywordOf(
  check: Record<string, any>,
  jsonSchema: JsonSchema,
): string | undefined {
  const isArray = jsonSchema.type === 'array';
  switch (check.check) {
    case 'string_format':
      return check.format === 'regex' ? 'pattern' : 'format';
    case 'max_length':
      return isArray ? 'maxItems' : 'maxLength';
    case 'min_length':
      return isArray ? 'minItems' : 'minLength';
    case 'greater_than':
      return check.inclusive ? 'minimum' : 'exclusiveMinimum';
    case 'less_than':
      return check.inclusive ? 'maximum' : 'exclusiveMaximum';
    case 'multiple_of':
      return 'multipleOf';
    default:
      return undefined;
  }
}

/**
 * The messages of a zod schema's checks, by JSON Schema keyword: the `errorMessage` of
 * ajv-errors, which the Scaffolder's form validator loads, so a form shows "must be a DNS-1123
 * label…" where ajv alone would print the raw pattern.
 */
function errorMessagesOf(
  zodSchema: z.core.$ZodType,
  jsonSchema: JsonSchema,
): Record<string, string> {
  const messages: Record<string, string> = {};
  for (const check of (zodSchema._zod.def as { checks?: z.core.$ZodCheck[] })
    .checks ?? []) {
    const def = check._zod.def as Record<string, any>;
    const keyword = keywordOf(def, jsonSchema);
    // `{ message }` is kept by zod as a function of the issue; every message here is fixed text.
    const message = typeof def.error === 'function' ? def.error({}) : undefined;
    if (keyword && keyword in jsonSchema && typeof message === 'string') {
      messages[keyword] = message;
    }
  }
  return messages;
}

/**
 * The JSON Schema of the provisioning parameters, generated from {@link presetParametersSchema};
 * template forms take their fields (patterns, bounds, enums, descriptions) from it, and the
 * messages of its checks as `errorMessage` (ajv-errors) by keyword.
 *
 * @public
 */
export function presetParametersJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(presetParametersSchema, {
    ...options,
    override: ({ zodSchema, jsonSchema }) => {
      const messages = errorMessagesOf(zodSchema, jsonSchema as JsonSchema);
      if (Object.keys(messages).length > 0) {
        (jsonSchema as JsonSchema).errorMessage = messages;
      }
    },
  }) as Record<string, unknown>;
}

/**
 * The JSON Schema of a `preset.yaml`, generated from {@link presetSchema}, for editors and CI.
 *
 * @public
 */
export function presetJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(presetSchema, options) as Record<string, unknown>;
}
