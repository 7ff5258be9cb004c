export { AppsTable } from './AppsTable';
export type { AppsTableProps } from './AppsTable';
