"""Fraud features: merchant features joined to card events; one merchant holds most events (skew)."""
from pyspark.sql import SparkSession, functions as F

spark = SparkSession.builder.getOrCreate()
events = spark.range(0, 1_500_000, numPartitions=8).select(
    # 90 % of the events belong to merchant 0: the join's partition for it does most of the work.
    F.when(F.col("id") % 10 < 9, F.lit(0)).otherwise(F.col("id") % 20_000).alias("merchant_id"),
    (F.col("id") % 100_000).alias("card_id"),
    (F.rand(11) * 500).alias("amount"),
)
merchants = spark.range(0, 20_000, numPartitions=4).select(
    F.col("id").alias("merchant_id"), (F.col("id") % 40).alias("mcc")
)
features = (
    events.join(merchants, "merchant_id")
    .groupBy("card_id", "mcc")
    .agg(F.count("*").alias("n"), F.avg("amount").alias("avg_amount"))
)
# The noop sink computes every column (count() would prune the aggregates away).
features.write.format("noop").mode("overwrite").save()
print("done")
spark.stop()
