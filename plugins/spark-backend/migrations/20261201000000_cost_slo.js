// @ts-check

/**
 * Cost and SLO: the priced cost of each app (recomputed when its inputs or the prices change)
 * and the end time of each app, which the SLO engine reads as run history.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('spark_app_costs', table => {
    table.comment('What each app cost, priced by the cost model');
    table
      .string('app_id', 255)
      .primary()
      .references('app_id')
      .inTable('spark_apps')
      .onDelete('CASCADE');
    table.string('day', 10).notNullable().comment('UTC day the app started');
    table.bigInteger('start_time').notNullable();
    table.double('cost').notNullable();
    table.double('executor_cost').notNullable();
    table.double('wasted_cost').notNullable();
    table.string('basis', 16).notNullable();
    table.string('currency', 8).notNullable();
    table.string('model', 64).notNullable();
    table.string('model_version', 255).notNullable();
    table
      .bigInteger('inputs_at')
      .notNullable()
      .comment('Newest update of the app or its pods that was priced');
    table.bigInteger('priced_at').notNullable();
    table.text('detail').notNullable();
    table.index(['start_time'], 'spark_app_costs_start_idx');
  });

  await knex.schema.alterTable('spark_apps', table => {
    table.bigInteger('end_time').nullable();
    table.index(['entity_ref', 'sort_time'], 'spark_apps_entity_sort_idx');
  });
  // Apps stored before this migration: their end time is in the summary.
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
      const endTime = JSON.parse(row.summary).endTime;
      if (endTime) {
        await knex('spark_apps')
          .where({ app_id: row.app_id })
          .update({ end_time: Date.parse(endTime) });
      }
    }
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('spark_apps', table => {
    table.dropIndex(['entity_ref', 'sort_time'], 'spark_apps_entity_sort_idx');
    table.dropColumn('end_time');
  });
  await knex.schema.dropTable('spark_app_costs');
};
