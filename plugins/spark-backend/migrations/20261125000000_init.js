// @ts-check

/**
 * The Spark store: what each source reported per app attempt, the merged app, the History
 * Server documents, Kubernetes objects, source checkpoints and source health.
 * Times are epoch milliseconds; JSON is stored as text so SQLite and Postgres behave alike.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('spark_app_reports', table => {
    table.comment(
      'What one source knows of one app attempt, replaced on each report',
    );
    table.string('source_id', 255).notNullable();
    table.string('app_id', 255).notNullable();
    table.string('attempt_id', 64).notNullable();
    table.text('report').notNullable();
    table.bigInteger('updated_at').notNullable();
    table.primary(['source_id', 'app_id', 'attempt_id']);
    table.index(['app_id'], 'spark_app_reports_app_id_idx');
  });

  await knex.schema.createTable('spark_apps', table => {
    table.comment('One row per Spark app, merged from every report');
    table.string('app_id', 255).primary();
    table.string('name', 1024).notNullable();
    table.string('state', 32).notNullable();
    table.string('cluster', 255).nullable();
    table.string('namespace', 255).nullable();
    table.string('entity_ref', 512).nullable();
    table.string('team_ref', 512).nullable();
    table.bigInteger('start_time').nullable();
    table.bigInteger('sort_time').notNullable();
    table.boolean('complete').notNullable();
    table.text('summary').notNullable();
    table.bigInteger('updated_at').notNullable();
    table.index(['sort_time', 'app_id'], 'spark_apps_sort_idx');
    table.index(['entity_ref'], 'spark_apps_entity_idx');
    table.index(['cluster'], 'spark_apps_cluster_idx');
    table.index(['state'], 'spark_apps_state_idx');
  });

  await knex.schema.createTable('spark_app_teams', table => {
    table.comment(
      'The owning team of an app and its parent groups, for team roll-ups',
    );
    table
      .string('app_id', 255)
      .notNullable()
      .references('app_id')
      .inTable('spark_apps')
      .onDelete('CASCADE');
    table.string('team_ref', 512).notNullable();
    table.primary(['app_id', 'team_ref']);
    table.index(['team_ref'], 'spark_app_teams_team_idx');
  });

  await knex.schema.createTable('spark_history_documents', table => {
    table.comment(
      'History Server JSON per app attempt, served by /history/api/v1',
    );
    table.string('app_id', 255).notNullable();
    table.string('attempt_id', 64).notNullable();
    table.string('source_id', 255).notNullable();
    table.text('documents').notNullable();
    table.bigInteger('updated_at').notNullable();
    table.primary(['app_id', 'attempt_id', 'source_id']);
  });

  await knex.schema.createTable('spark_kubernetes_objects', table => {
    table.comment(
      'SparkApplications, SparkClusters and Spark pods seen in clusters',
    );
    table.string('cluster', 255).notNullable();
    table.string('kind', 128).notNullable();
    table.string('namespace', 255).notNullable();
    table.string('name', 255).notNullable();
    table.string('app_id', 255).nullable();
    table.text('object').notNullable();
    table.bigInteger('updated_at').notNullable();
    table.primary(['cluster', 'kind', 'namespace', 'name']);
    table.index(['app_id'], 'spark_kubernetes_objects_app_idx');
  });

  await knex.schema.createTable('spark_checkpoints', table => {
    table.comment(
      'Where each source stopped: event-log offsets and aggregator state, watch resourceVersions',
    );
    table.string('source_id', 255).notNullable();
    table.string('key', 1024).notNullable();
    table.text('value').notNullable();
    table.bigInteger('updated_at').notNullable();
    table.primary(['source_id', 'key']);
  });

  await knex.schema.createTable('spark_source_status', table => {
    table.comment(
      'Health of each source: last run, last error, per-item problems',
    );
    table.string('source_id', 255).primary();
    table.string('kind', 64).notNullable();
    table.text('status').notNullable();
    table.bigInteger('updated_at').notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  for (const table of [
    'spark_source_status',
    'spark_checkpoints',
    'spark_kubernetes_objects',
    'spark_history_documents',
    'spark_app_teams',
    'spark_apps',
    'spark_app_reports',
  ]) {
    await knex.schema.dropTable(table);
  }
};
