import {
  container,
  deployment,
  IMAGE_USERS,
  namespaced,
  podSpec,
  resources,
  service,
  type RenderContext,
  type RenderedObject,
} from '../objects';
import { sparkConfVolumes, type SparkSetup } from '../spark';
import { VERSIONS } from '../versions';
import { stringify } from 'yaml';
import { connectUrl } from './connectServer';
import { sparkApplicationObject } from './sparkApplication';
import type { Component, SettingsOf } from './types';

type SubmitWith = SettingsOf<'airflow'>['submitWith'];

/** The service account Airflow's workers submit Spark apps as. */
export function airflowServiceAccount(ctx: RenderContext): string {
  return ctx.name('airflow');
}

const PROVIDERS: Record<SubmitWith, string> = {
  connect: 'apache-airflow-providers-apache-spark[connect]',
  'spark-submit': 'apache-airflow-providers-apache-spark',
  operator: 'apache-airflow-providers-cncf-kubernetes',
};

/** Airflow connections as JSON env vars (Airflow ≥ 2.3), built as objects, never as strings. */
function connection(ctx: RenderContext, submitWith: SubmitWith) {
  switch (submitWith) {
    case 'connect':
      return {
        name: 'AIRFLOW_CONN_SPARK_CONNECT_DEFAULT',
        value: JSON.stringify({
          conn_type: 'spark_connect',
          host: `sc://${ctx.name('connect')}`,
          port: 15002,
        }),
      };
    case 'spark-submit':
      return {
        name: 'AIRFLOW_CONN_SPARK_DEFAULT',
        value: JSON.stringify({
          conn_type: 'spark',
          host: 'k8s://https://kubernetes.default.svc',
          port: 443,
          extra: { 'deploy-mode': 'cluster', namespace: ctx.namespace },
        }),
      };
    default:
      return {
        name: 'AIRFLOW_CONN_KUBERNETES_DEFAULT',
        value: JSON.stringify({
          conn_type: 'kubernetes',
          extra: { in_cluster: true, namespace: ctx.namespace },
        }),
      };
  }
}

/** An example DAG for the chosen way of submitting; names go in as JSON (valid Python) literals. */
function exampleDag(
  ctx: RenderContext,
  submitWith: SubmitWith,
  spark: SparkSetup,
): string {
  const dagId = JSON.stringify(`${ctx.parameters.name}_example`);
  const header = ['import pendulum', 'from airflow import DAG', ''];
  const dag = `with DAG(${dagId}, schedule=None, start_date=pendulum.datetime(2026, 1, 1), catchup=False):`;
  switch (submitWith) {
    case 'connect':
      return [
        ...header,
        'from airflow.decorators import task',
        '',
        dag,
        '    @task',
        '    def count():',
        '        from pyspark.sql import SparkSession',
        `        spark = SparkSession.builder.remote(${JSON.stringify(
          connectUrl(ctx.name),
        )}).getOrCreate()`,
        '        return spark.range(1000).count()',
        '',
        '    count()',
        '',
      ].join('\n');
    case 'spark-submit':
      return [
        ...header,
        'from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator',
        '',
        dag,
        '    SparkSubmitOperator(',
        '        task_id="pi",',
        '        conn_id="spark_default",',
        `        application=${JSON.stringify(
          ctx.parameters.job.mainApplicationFile,
        )},`,
        `        conf={"spark.kubernetes.container.image": ${JSON.stringify(
          spark.conf['spark.kubernetes.container.image'],
        )}},`,
        '    )',
        '',
      ].join('\n');
    default:
      return [
        ...header,
        'from airflow.providers.cncf.kubernetes.operators.spark_kubernetes import SparkKubernetesOperator',
        '',
        dag,
        '    SparkKubernetesOperator(',
        '        task_id="pi",',
        `        namespace=${JSON.stringify(ctx.namespace)},`,
        '        application_file="/opt/airflow/dags/sparkapplication.yaml",',
        '        kubernetes_conn_id="kubernetes_default",',
        '    )',
        '',
      ].join('\n');
  }
}

/**
 * Airflow (`airflow standalone`: scheduler, API server and triggerer in one pod, SQLite) with a
 * Spark connection for the preset's way of submitting, and the RBAC that way needs.
 */
export const airflow: Component<'airflow'> = {
  unsupported(ctx, settings) {
    if (
      settings.submitWith === 'connect' &&
      !ctx.preset.components.some(c => c.use === 'connect-server')
    ) {
      return 'airflow with submitWith "connect" needs the connect-server component';
    }
    if (
      settings.submitWith === 'operator' &&
      ctx.preset.backend !== 'operator'
    ) {
      return 'airflow with submitWith "operator" needs backend "operator"';
    }
    return undefined;
  },
  objects(ctx, settings, spark) {
    const name = ctx.name('airflow');
    const account = airflowServiceAccount(ctx);
    const usesKubernetesApi = settings.submitWith !== 'connect';
    const conf = sparkConfVolumes(spark);
    const objects: RenderedObject[] = [
      namespaced(ctx, 'v1', 'ServiceAccount', account, 'airflow', {
        automountServiceAccountToken: false,
      }),
      namespaced(ctx, 'v1', 'ConfigMap', ctx.name('airflow-dags'), 'airflow', {
        data: {
          'example_dag.py': exampleDag(ctx, settings.submitWith, spark),
          ...(settings.submitWith === 'operator'
            ? {
                'sparkapplication.yaml': stringify(
                  sparkApplicationObject(ctx, spark),
                  { aliasDuplicateObjects: false },
                ),
              }
            : {}),
        },
      }),
    ];
    if (settings.submitWith === 'operator') {
      const role = ctx.name('airflow-sparkapps');
      objects.push(
        namespaced(
          ctx,
          'rbac.authorization.k8s.io/v1',
          'Role',
          role,
          'airflow',
          {
            rules: [
              {
                apiGroups: ['sparkoperator.k8s.io'],
                resources: [
                  'sparkapplications',
                  'sparkapplications/status',
                  'scheduledsparkapplications',
                ],
                verbs: ['create', 'get', 'list', 'watch', 'patch', 'delete'],
              },
              {
                apiGroups: [''],
                resources: ['pods', 'pods/log', 'events'],
                verbs: ['get', 'list', 'watch'],
              },
            ],
          },
        ),
        namespaced(
          ctx,
          'rbac.authorization.k8s.io/v1',
          'RoleBinding',
          role,
          'airflow',
          {
            roleRef: {
              apiGroup: 'rbac.authorization.k8s.io',
              kind: 'Role',
              name: role,
            },
            subjects: [
              {
                kind: 'ServiceAccount',
                name: account,
                namespace: ctx.namespace,
              },
            ],
          },
        ),
      );
    }
    objects.push(
      deployment(
        ctx,
        name,
        'airflow',
        1,
        podSpec(ctx, IMAGE_USERS.airflow, {
          serviceAccountName: account,
          automountServiceAccountToken: usesKubernetesApi,
          volumes: [
            {
              name: 'dags',
              configMap: { name: ctx.name('airflow-dags') },
            },
            ...(settings.submitWith === 'spark-submit' ? conf.volumes : []),
          ],
          containers: [
            container({
              name: 'airflow',
              image: VERSIONS.airflowImage,
              args: ['standalone'],
              env: [
                { name: 'AIRFLOW_HOME', value: '/tmp/airflow' },
                {
                  name: 'AIRFLOW__CORE__DAGS_FOLDER',
                  value: '/opt/airflow/dags',
                },
                { name: 'AIRFLOW__CORE__LOAD_EXAMPLES', value: 'False' },
                // Dev-grade install of the provider; bake it into your image for production.
                {
                  name: '_PIP_ADDITIONAL_REQUIREMENTS',
                  value: PROVIDERS[settings.submitWith],
                },
                connection(ctx, settings.submitWith),
              ],
              ports: [{ name: 'http', containerPort: 8080 }],
              resources: resources(2, 4096),
              volumeMounts: [
                { name: 'dags', mountPath: '/opt/airflow/dags' },
                ...(settings.submitWith === 'spark-submit'
                  ? conf.volumeMounts
                  : []),
              ],
            }),
          ],
        }),
      ),
      service(ctx, name, 'airflow', [{ name: 'http', port: 8080 }]),
    );
    return objects;
  },
};
