"""What the token tests share: a small valid SDMX-CSV file, the token's form, a signed-in client."""

from __future__ import annotations

import re

HEADER = (
    "DATAFLOW,FREQ,REF_AREA,INDICATOR,COUNTERPART_AREA,SEX,AGE,POP_GROUP,TIME_PERIOD,OBS_VALUE,"
    "UNIT_MEASURE,COUNTING_BASIS\n"
)
GOOD_FLOWS = HEADER + "PRIMI:DF_FLOWS(1.0),M,GTM,ENTRY,MEX,_T,_T,_T,2024-01,10,EV,EVENTS\n"
TOKEN_TEXT = re.compile(r"primi_[a-z0-9]{8}_[A-Za-z0-9_-]{40,}")
