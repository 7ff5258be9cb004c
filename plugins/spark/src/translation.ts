import { createTranslationRef } from '@backstage/core-plugin-api/alpha';
import { en } from './translations/en';

/**
 * Every text of the Spark plugin, in English; Russian is loaded on demand.
 *
 * @public
 */
export const sparkTranslationRef = createTranslationRef({
  id: 'spark',
  messages: en,
  translations: {
    ru: () => import('./translations/ru'),
  },
});
