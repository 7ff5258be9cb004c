export * from './format';
export { useLocale } from './useLocale';
