export * from './common';
export * from './spark';
export * from './postgres';
export * from './prometheus';
export * from './mkdocs';
export * from './kube';
export * from './testDatabases';
export * from './s3';
