// Written by the store benchmark task: see Benchmarks/store.sh.
print("store benchmark not written yet")
