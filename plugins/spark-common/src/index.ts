/**
 * Types, zod schemas, permissions and pure helpers shared by the Spark plugins.
 *
 * @packageDocumentation
 */
export * from './permissions';
export * from './redaction';
export * from './eventLogName';
export * from './model';
export * from './query';
export * from './presets';
export * from './runbooks';
export * from './slo';
export * from './diagnosis';
