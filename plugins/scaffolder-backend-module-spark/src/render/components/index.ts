import type { PresetComponentId } from '@spark-k8s/plugin-spark-common';
import { airflow } from './airflow';
import { celeborn } from './celeborn';
import { connectServer } from './connectServer';
import { dynamicAllocation } from './dynamicAllocation';
import { hiveMetastore } from './hiveMetastore';
import { historyServer } from './historyServer';
import { iceberg } from './iceberg';
import { jupyter } from './jupyter';
import { rapidsGpu } from './rapidsGpu';
import {
  scheduledSparkApplication,
  sparkApplication,
} from './sparkApplication';
import { sparkSubmit } from './sparkSubmit';
import { spotNodes } from './spotNodes';
import { standaloneCluster } from './standaloneCluster';
import type { Component } from './types';

/** Every shared component by the id presets use for it. */
export const COMPONENTS: { [U in PresetComponentId]: Component<U> } = {
  'connect-server': connectServer,
  jupyter,
  'standalone-cluster': standaloneCluster,
  airflow,
  'spark-submit': sparkSubmit,
  'spark-application': sparkApplication,
  'scheduled-spark-application': scheduledSparkApplication,
  'history-server': historyServer,
  'hive-metastore': hiveMetastore,
  iceberg,
  celeborn,
  'rapids-gpu': rapidsGpu,
  'dynamic-allocation': dynamicAllocation,
  'spot-nodes': spotNodes,
};

export { airflowServiceAccount } from './airflow';
export { MissingParameterError } from './types';
