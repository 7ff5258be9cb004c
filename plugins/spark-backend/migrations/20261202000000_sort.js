// @ts-check

/**
 * Server-side sorting of the apps list: a duration column on `spark_apps` (written on every
 * merge) and an index per sort key + app id. Cost is sorted straight from `spark_app_costs`,
 * where the pricer writes it, so it has no second copy to keep in step.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('spark_apps', table => {
    table
      .bigInteger('duration_ms')
      .nullable()
      .comment('End minus start; null while the app runs');
    table.index(['duration_ms', 'app_id'], 'spark_apps_duration_idx');
  });
  await knex.schema.alterTable('spark_app_costs', table => {
    table.index(['cost', 'app_id'], 'spark_app_costs_cost_idx');
  });
  // Apps stored before this migration: their duration is in the summary.
  let after = '';
  for (;;) {
    const rows = await knex('spark_apps')
      .where('app_id', '>', after)
      .orderBy('app_id')
      .limit(500)
      .select('app_id', 'summary');
    if (rows.length === 0) break;
    after = rows[rows.length - 1].app_id;
    for (const row of rows) {
      const durationMs = JSON.parse(row.summary).durationMs;
      if (typeof durationMs === 'number' && Number.isFinite(durationMs)) {
        await knex('spark_apps')
          .where({ app_id: row.app_id })
          .update({ duration_ms: Math.round(durationMs) });
      }
    }
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('spark_app_costs', table => {
    table.dropIndex(['cost', 'app_id'], 'spark_app_costs_cost_idx');
  });
  await knex.schema.alterTable('spark_apps', table => {
    table.dropIndex(['duration_ms', 'app_id'], 'spark_apps_duration_idx');
  });
  if (String(knex.client.config.client).includes('sqlite')) {
    // knex drops a SQLite column by copying the table, and dropping the old spark_apps inside
    // the migration's transaction would cascade to the tables that reference it.
    await knex.raw('ALTER TABLE ?? DROP COLUMN ??', [
      'spark_apps',
      'duration_ms',
    ]);
  } else {
    await knex.schema.alterTable('spark_apps', table => {
      table.dropColumn('duration_ms');
    });
  }
};
