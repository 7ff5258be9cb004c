/**
 * Extension points of the Spark backend plugin: add app sources (and, later, price models and
 * diagnosis rules) from backend modules.
 *
 * @packageDocumentation
 */
export * from './sources';
export * from './extensions';
export * from './cost';
export * from './diagnosis';
