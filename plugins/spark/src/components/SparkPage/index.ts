export { SparkPage } from './SparkPage';
