"""The published dataset as flat tables, and the open-data export built from them.

The tables are the contract for anyone reusing the data: the API's CSV answers use the same
organisation columns (orgs/records.py), and `/api/v1/export/` packs every table into one zip, a
Frictionless data package (https://specs.frictionlessdata.io/) with a `datapackage.json`
describing each column, under CC BY 4.0.

- columns.py: what a column is (a name, a Table Schema type, a description, its value);
- tables.py: the tables, their columns and rows, and the package's descriptor;
- files.py: the files on disk, built once per data version, and the downloads' names.

Each table is also served alone, as `/api/v1/export/<table>.csv`.
"""
