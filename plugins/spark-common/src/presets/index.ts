export * from './types';
export * from './fields';
export {
  SPARK_VERSIONS,
  sparkMinorVersion,
  scalaBinaryVersion,
  presetParametersSchema,
} from './parameters';
export { PRESET_BACKENDS, SECURITY_PROFILES, presetSchema } from './preset';
export * from './jsonSchema';
export * from './parse';
