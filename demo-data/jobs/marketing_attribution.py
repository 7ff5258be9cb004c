"""Multi-touch attribution over sessions: a wide sort under tight execution memory (spills)."""
from pyspark.sql import SparkSession, Window, functions as F

spark = SparkSession.builder.getOrCreate()
touches = spark.range(0, 1_200_000, numPartitions=4).select(
    (F.col("id") % 50_000).alias("user_id"),
    (F.rand(5) * 86_400 * 90).cast("long").alias("ts"),
    F.concat(F.lit("campaign-"), (F.col("id") % 300).cast("string")).alias("campaign"),
    F.expr("repeat('x', 200)").alias("payload"),
)
w = Window.partitionBy("user_id").orderBy("ts")
credited = (
    touches.withColumn("position", F.row_number().over(w))
    .withColumn("touches", F.count("*").over(Window.partitionBy("user_id")))
    .withColumn("credit", 1.0 / F.col("touches"))
    .groupBy("campaign")
    .agg(F.sum("credit").alias("credit"))
)
print("campaigns:", len(credited.collect()))
spark.stop()
