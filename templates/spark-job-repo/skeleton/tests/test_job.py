import pytest
from pyspark.sql import SparkSession

from src.job import daily_counts


@pytest.fixture(scope="session")
def spark():
    session = SparkSession.builder.master("local[1]").appName("test").getOrCreate()
    yield session
    session.stop()


def test_daily_counts_groups_by_day_and_type(spark):
    events = spark.createDataFrame(
        [
            ("2026-01-01 10:00:00", "view"),
            ("2026-01-01 12:00:00", "view"),
            ("2026-01-02 09:00:00", "click"),
        ],
        "ts string, type string",
    )
    rows = [tuple(r) for r in daily_counts(events).collect()]
    assert [(str(day), kind, n) for day, kind, n in rows] == [
        ("2026-01-01", "view", 2),
        ("2026-01-02", "click", 1),
    ]
