"""The benchmark harness (`make bench`): us against Datasette on the same data. See README.md."""
