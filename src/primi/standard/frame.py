"""The canonical columnar frame that ingest produces, checks read and the store loads.

One pyarrow table whatever the source format: the DSD's dimensions in their fixed order, the
time period in canonical form, the measure, the attributes, and where each row came from.
"""

import pyarrow as pa

AGENCY = "PRIMI"
DSD_ID = "DSD_MIGR"

DIMENSIONS: tuple[str, ...] = (
    "FREQ",
    "REF_AREA",
    "INDICATOR",
    "COUNTERPART_AREA",
    "SEX",
    "AGE",
    "POP_GROUP",
)
TIME_DIMENSION = "TIME_PERIOD"
MEASURE = "OBS_VALUE"
SERIES_ATTRIBUTES: tuple[str, ...] = ("UNIT_MEASURE", "UNIT_MULT", "COUNTING_BASIS", "SOURCE_INST")
OBS_ATTRIBUTES: tuple[str, ...] = ("OBS_STATUS", "CONF_STATUS", "COMMENT_OBS", "DECIMALS")
ATTRIBUTES: tuple[str, ...] = SERIES_ATTRIBUTES + OBS_ATTRIBUTES
SOURCE_ROW = "SOURCE_ROW"
# Where a row came from, as the submitter numbers it: the line or row of a text file, and for a
# workbook the k-th sheet read (from 0) numbers its rows k * SHEET_ROWS + row, so that rows of
# different sheets never share a SOURCE_ROW (Excel stops at 1,048,576 rows). The store keeps the
# number as it is; `sheet_row` splits it again.
SHEET_ROWS = 10_000_000


def sheet_row(source_row: int) -> tuple[int, int]:
    """(index of the sheet read, row in that sheet) that a workbook's SOURCE_ROW stands for."""
    return divmod(source_row, SHEET_ROWS)


SCHEMA = pa.schema(
    [pa.field(d, pa.string(), nullable=False) for d in DIMENSIONS]
    + [
        pa.field(TIME_DIMENSION, pa.string(), nullable=False),
        pa.field(MEASURE, pa.float64()),
        pa.field("UNIT_MEASURE", pa.string()),
        pa.field("UNIT_MULT", pa.int8()),
        pa.field("COUNTING_BASIS", pa.string()),
        pa.field("SOURCE_INST", pa.string()),
        pa.field("OBS_STATUS", pa.string()),
        pa.field("CONF_STATUS", pa.string()),
        pa.field("COMMENT_OBS", pa.string()),
        pa.field("DECIMALS", pa.int8()),
        pa.field(SOURCE_ROW, pa.int64(), nullable=False),
    ]
)


def series_key(values: dict[str, str]) -> str:
    """The SDMX series key (dimension values joined by dots in DSD order)."""
    return ".".join(values[d] for d in DIMENSIONS)


def conform(table: pa.Table) -> pa.Table:
    """Cast a table to the canonical schema, adding absent optional columns as nulls."""
    columns = []
    for field in SCHEMA:
        if field.name in table.column_names:
            columns.append(table.column(field.name).cast(field.type))
        elif field.nullable:
            columns.append(pa.nulls(table.num_rows, field.type))
        else:
            raise KeyError(f"missing required column {field.name}")
    return pa.Table.from_arrays(columns, schema=SCHEMA)
