export { EntitySparkContent } from './EntitySparkContent';
