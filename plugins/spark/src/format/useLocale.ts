import { useApi } from '@backstage/core-plugin-api';
import { appLanguageApiRef } from '@backstage/core-plugin-api/alpha';
import { useMemo } from 'react';
import useObservable from 'react-use/esm/useObservable';

/** The app's current language (`en`, `ru` …), following the user's choice in settings. */
export function useLocale(): string {
  const languageApi = useApi(appLanguageApiRef);
  const observable = useMemo(() => languageApi.language$(), [languageApi]);
  const { language } = useObservable(observable, languageApi.getLanguage());
  return language;
}
