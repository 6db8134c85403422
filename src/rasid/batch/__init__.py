"""Batch analysis on Apache Spark (`rasid batch`) and loading its tables into an archive
(`rasid load`). `tables` turns analysed Documents into table rows and back (no Spark);
`job` is the PySpark job (``pip install 'rasid[spark]'``); `load` reads the tables."""
