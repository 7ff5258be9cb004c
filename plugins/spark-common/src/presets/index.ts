export * from './fields';
export * from './parameters';
export * from './preset';
export * from './jsonSchema';
export * from './parse';
