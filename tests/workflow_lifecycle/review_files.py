"""The files the review tests send: one DF_FLOWS observation of Guatemala, first and corrected."""

HEADER = (
    "DATAFLOW,FREQ,REF_AREA,INDICATOR,COUNTERPART_AREA,SEX,AGE,POP_GROUP,TIME_PERIOD,OBS_VALUE,"
    "UNIT_MEASURE,COUNTING_BASIS\n"
)
KEY = "M.GTM.ENTRY.MEX._T._T._T"
FIRST_VALUE = 4321.0
CORRECTED_VALUE = 4444.0


def flows_csv(value: float) -> str:
    return HEADER + f"PRIMI:DF_FLOWS(1.0),M,GTM,ENTRY,MEX,_T,_T,_T,2024-01,{value:g},EV,EVENTS\n"
