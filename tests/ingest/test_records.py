"""Record-level aggregation by a declared mapping, on a generated file and on the real MMP file."""

import pyarrow.compute as pc

from primi.ingest.records import aggregate


def test_several_nationalities_go_to_unknown_and_totals_are_kept(tmp_path):
    src = tmp_path / "mmp.csv"
    src.write_text(
        "t,m,geo,dead,nat\n"
        "2023-01-05,2023-01,MEX,2.0,GTM\n"
        '2023-01-09,2023-01,MEX,5.0,"GTM,HND"\n'
        "2023-01-20,2023-01,MEX,1.0,UNK\n"
        "2023-02-01,2023-02,USA,3.0,GTM; MEX\n"
        "2023-02-03,2023-02,USA,4.0,GTM\n"
    )
    result = aggregate(src, "iom_mmp")
    rows = {
        (r["REF_AREA"], r["TIME_PERIOD"], r["COUNTERPART_AREA"]): (r["OBS_VALUE"], r["SOURCE_ROW"])
        for r in result.table.to_pylist()
    }
    assert rows == {
        ("MEX", "2023-01", "GTM"): (2.0, 2),
        ("MEX", "2023-01", "_X"): (6.0, 3),
        ("USA", "2023-02", "GTM"): (4.0, 6),
        ("USA", "2023-02", "_X"): (3.0, 5),
    }
    assert result.dataflow == "DF_SAFETY"
    multi = next(f for f in result.findings if f.rule == "I_MULTI_VALUED")
    assert (multi.count, multi.row) == (2, 3)
    assert pc.unique(result.table.column("FREQ")).to_pylist() == ["M"]


def test_real_missing_migrants_total_is_the_file_total(real_data):
    import pyarrow.csv as pacsv

    raw = pacsv.read_csv(real_data / "iom_mmp.csv")
    table = aggregate(real_data / "iom_mmp.csv", "iom_mmp").table
    assert pc.sum(table.column("OBS_VALUE")).as_py() == pc.sum(raw.column("dead")).as_py()
