/**
 * The Spark plugin for the new frontend system.
 *
 * @packageDocumentation
 */
export { default } from './alpha/plugin';
export * from './alpha/extensions';
