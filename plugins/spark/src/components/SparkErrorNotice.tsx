import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { sparkAppReadPermission } from '@spark-k8s/plugin-spark-common';
import { sparkTranslationRef } from '../translation';
import { SparkNotice } from './SparkNotice';

/** The HTTP status of a failed call to the Spark backend, when there was an answer. */
export function statusOf(error: unknown): number | undefined {
  const e = error as { statusCode?: unknown; response?: { status?: unknown } };
  if (typeof e?.statusCode === 'number') return e.statusCode;
  if (typeof e?.response?.status === 'number') return e.response.status;
  return undefined;
}

/** 403 → the permission it needs; anything else → what failed and a retry, never a stack. */
export function SparkErrorNotice(props: {
  error: unknown;
  retry?: () => void;
  permission?: string;
}) {
  const { t } = useTranslationRef(sparkTranslationRef);
  const status = statusOf(props.error);
  if (status === 403) {
    return (
      <SparkNotice
        kind="denied"
        title={t('states.deniedTitle')}
        hint={t('states.deniedHint', {
          permission: props.permission ?? sparkAppReadPermission.name,
        })}
      />
    );
  }
  return (
    <SparkNotice
      kind="error"
      title={t('states.errorTitle')}
      hint={
        status
          ? t('states.errorHint', { status: String(status) })
          : t('states.errorNoStatus')
      }
      action={
        props.retry
          ? { label: t('states.errorRetry'), onClick: props.retry }
          : undefined
      }
    />
  );
}

/** A failed load of one app: 404 says it is unknown or not visible; the rest as above. */
export function SparkAppErrorNotice(props: {
  appId: string;
  error: unknown;
  retry?: () => void;
}) {
  const { t } = useTranslationRef(sparkTranslationRef);
  if (statusOf(props.error) === 404) {
    return (
      <SparkNotice
        kind="info"
        title={t('states.notFoundTitle')}
        hint={t('states.notFoundHint', { appId: props.appId })}
      />
    );
  }
  return <SparkErrorNotice error={props.error} retry={props.retry} />;
}
