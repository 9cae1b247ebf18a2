"""The Excel template a focal point downloads, fills and uploads for one dataflow and country.

Every dropdown shows "CODE – label" entries; Excel stores the chosen text and the reader
(`primi.ingest.xlsx_template`) keeps the code before the dash, so the submitter reads names and
the platform receives codes. The lists live in a hidden sheet the validations point to, because
an inline list is limited to 255 characters and the country list is far longer.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from primi.standard.catalogue import Code, Codelist, Standard, load_standard

LANGS = ("es", "en")
SEPARATOR = " – "
# Layout of the data sheet: a key/value block, the labels, the codes the reader looks for.
BLOCK_ROW, LABEL_ROW, HEADER_ROW, FIRST_DATA_ROW = 1, 2, 3, 4
LAST_VALIDATED_ROW = 1_048_576
DATA_COLUMNS: tuple[str, ...] = (
    "FREQ",
    "INDICATOR",
    "COUNTERPART_AREA",
    "SEX",
    "AGE",
    "POP_GROUP",
    "TIME_PERIOD",
    "OBS_VALUE",
    "OBS_STATUS",
    "UNIT_MULT",
    "COMMENT_OBS",
)
CODED_COLUMNS = ("FREQ", "INDICATOR", "COUNTERPART_AREA", "SEX", "AGE", "POP_GROUP")
CODED_ATTRIBUTES = ("OBS_STATUS", "UNIT_MULT")
WIDTHS = {"COUNTERPART_AREA": 34, "INDICATOR": 40, "AGE": 26, "POP_GROUP": 30, "COMMENT_OBS": 40}

SHEETS = {
    "es": {
        "instructions": "Instrucciones",
        "data": "Datos",
        "definitions": "Definiciones",
        "codes": "Códigos",
        "lists": "Listas",
    },
    "en": {
        "instructions": "Instructions",
        "data": "Data",
        "definitions": "Definitions",
        "codes": "Codes",
        "lists": "Lists",
    },
}
ROLES = {
    "citizenship": ("país de ciudadanía", "country of citizenship"),
    "birth": ("país de nacimiento", "country of birth"),
    "origin": ("país de origen", "country of origin"),
    "destination": ("país de destino", "country of destination"),
    "returning_country": ("país que retorna", "returning country"),
    "sending_country": ("país que envía", "sending country"),
    "receiving_country": ("país que recibe", "receiving country"),
    "none": ("no aplica (_Z)", "not applicable (_Z)"),
}
TITLE_FONT = Font(bold=True, size=14)
BOLD = Font(bold=True)
GREY = Font(color="666666", size=9)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
BLOCK_FILL = PatternFill("solid", fgColor="FFF2CC")
WRAP = Alignment(wrap_text=True, vertical="top")


def entry(code: Code, lang: str) -> str:
    """The dropdown text of a code: `GTM – Guatemala`."""
    label = code.names.get(lang) or code.names.get("en") or ""
    return f"{code.id}{SEPARATOR}{label}" if label else code.id


def write_template(
    dataflow: str, country: str, lang: str, path: Path, std: Standard | None = None
) -> Path:
    """Write the xlsx template of `dataflow` for `country` in `lang` (es or en) to `path`."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    std = std or load_standard()
    flow = std.dataflow(dataflow)
    area = std.codelist_for("REF_AREA").get(country)
    if area is None or not area.is_country:
        raise ValueError(f"{country!r} is not a country code of CL_AREA")
    indicators = std.indicators_of(flow.id)
    if not indicators:
        raise ValueError(f"dataflow {dataflow} has no indicators")
    lists = _lists(std, indicators)
    names = SHEETS[lang]
    wb = Workbook()
    instructions = wb.active
    instructions.title = names["instructions"]
    data = wb.create_sheet(names["data"])
    definitions = wb.create_sheet(names["definitions"])
    codes = wb.create_sheet(names["codes"])
    hidden = wb.create_sheet(names["lists"])
    hidden.sheet_state = "hidden"
    ranges = _write_lists(hidden, lists, lang)
    _write_data(data, std, flow.id, area, lang, ranges)
    _write_instructions(instructions, std, flow.id, area, lang, names)
    _write_definitions(definitions, std, indicators, lang)
    _write_codes(codes, std, lists, lang)
    wb.active = 1
    path = Path(path)
    wb.save(path)
    return path


def _lists(std: Standard, indicators: tuple) -> dict[str, tuple[Codelist, list[Code]]]:
    """Per coded column, the codes the dataflow's indicators allow, in code-list order."""
    out: dict[str, tuple[Codelist, list[Code]]] = {}
    for column in (*CODED_COLUMNS, *CODED_ATTRIBUTES):
        codelist = std.codelist_for(column)
        if column == "INDICATOR":
            allowed = {i.id for i in indicators}
        elif column == "COUNTERPART_AREA":
            allowed = {c.id for c in codelist.codes if not c.is_aggregate}
        elif column in ("FREQ", "SEX", "AGE", "POP_GROUP"):
            allowed = {code for i in indicators for code in i.allowed(column) or ()}
        else:
            allowed = set(codelist.ids())
        seen: set[str] = set()
        chosen = []
        for code in codelist.codes:
            if code.id in allowed and code.id not in seen:
                seen.add(code.id)
                chosen.append(code)
        out[column] = (codelist, chosen)
    return out


def _write_lists(
    ws: Worksheet, lists: dict[str, tuple[Codelist, list[Code]]], lang: str
) -> dict[str, str]:
    """One column per coded column in the hidden sheet; returns the range each validation uses."""
    ranges = {}
    for col, (column, (_, codes)) in enumerate(lists.items(), start=1):
        ws.cell(row=1, column=col, value=column)
        for row, code in enumerate(codes, start=2):
            ws.cell(row=row, column=col, value=entry(code, lang))
        letter = get_column_letter(col)
        ranges[column] = f"'{ws.title}'!${letter}$2:${letter}${len(codes) + 1}"
    return ranges


def _t(lang: str, es: str, en: str) -> str:
    return es if lang == "es" else en


def _write_data(
    ws: Worksheet, std: Standard, dataflow: str, area: Code, lang: str, ranges: dict[str, str]
) -> None:
    ws["A1"], ws["B1"] = "DATAFLOW", dataflow
    ws["C1"], ws["D1"] = "REF_AREA", entry(area, lang)
    ws["F1"] = _t(
        lang,
        "Llene una fila por valor desde la fila 4. No cambie las filas 1 a 3.",
        "Fill one row per value from row 4. Do not change rows 1 to 3.",
    )
    for ref in ("A1", "B1", "C1", "D1"):
        ws[ref].fill, ws[ref].font = BLOCK_FILL, BOLD
    ws["F1"].font = GREY
    for col, column in enumerate(DATA_COLUMNS, start=1):
        label = ws.cell(row=LABEL_ROW, column=col, value=std.concept(column).names[lang])
        label.font, label.fill, label.alignment = BOLD, HEADER_FILL, WRAP
        code = ws.cell(row=HEADER_ROW, column=col, value=column)
        code.font, code.fill = GREY, HEADER_FILL
        letter = get_column_letter(col)
        ws.column_dimensions[letter].width = WIDTHS.get(column, 16)
        cells = f"{letter}{FIRST_DATA_ROW}:{letter}{LAST_VALIDATED_ROW}"
        if column in ranges:
            ws.add_data_validation(_list_validation(column, ranges[column], cells, std, lang))
        elif column == "OBS_VALUE":
            ws.add_data_validation(_number_validation(cells, lang))
        elif column == "TIME_PERIOD":
            # Text, so that Excel does not turn 2023-01 into a date.
            ws.column_dimensions[letter].number_format = "@"
            label.comment = Comment(
                _t(
                    lang,
                    "Año 2023, trimestre 2023-Q1 o mes 2023-01.",
                    "Year 2023, quarter 2023-Q1 or month 2023-01.",
                ),
                "PRIMI",
            )
    ws.freeze_panes = f"A{FIRST_DATA_ROW}"
    ws.row_dimensions[LABEL_ROW].height = 30


def _list_validation(column: str, source: str, cells: str, std: Standard, lang: str):
    name = std.concept(column).names[lang]
    dv = DataValidation(
        type="list",
        formula1=f"={source}",
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle=_t(lang, "Valor no válido", "Invalid value"),
        error=_t(
            lang,
            f"Elija un valor de la lista de {name} (código – nombre).",
            f"Choose a value from the {name} list (code – name).",
        ),
        showInputMessage=True,
        promptTitle=name[:32],
        prompt=_t(lang, "Elija de la lista.", "Choose from the list."),
    )
    dv.add(cells)
    return dv


def _number_validation(cells: str, lang: str) -> DataValidation:
    dv = DataValidation(
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle=_t(lang, "Número no válido", "Invalid number"),
        error=_t(
            lang,
            "Escriba un número mayor o igual a 0, sin separador de miles.",
            "Type a number greater than or equal to 0, without thousands separator.",
        ),
    )
    dv.add(cells)
    return dv


def _write_instructions(
    ws: Worksheet, std: Standard, dataflow: str, area: Code, lang: str, names: dict[str, str]
) -> None:
    flow = std.dataflow(dataflow)
    data = names["data"]
    lines = [
        (
            _t(lang, "Plantilla PRIMI de envío de datos", "PRIMI data submission template"),
            TITLE_FONT,
        ),
        (f"{_t(lang, 'Flujo de datos', 'Dataflow')}: {flow.id} – {flow.names[lang]}", BOLD),
        (f"{_t(lang, 'País informante', 'Reporting country')}: {entry(area, lang)}", BOLD),
        ("", None),
        (_t(lang, "Cómo llenarla, paso a paso", "How to fill it, step by step"), BOLD),
        _t(
            lang,
            f"1. Abra la hoja «{data}». Las filas 1 a 3 son fijas: no las cambie.",
            f"1. Open the '{data}' sheet. Rows 1 to 3 are fixed: do not change them.",
        ),
        _t(
            lang,
            "2. Escriba un valor por fila, desde la fila 4. No deje filas en blanco entre datos.",
            "2. Type one value per row, from row 4. Leave no blank rows between data.",
        ),
        _t(
            lang,
            "3. En las columnas con lista (frecuencia, indicador, país, sexo, edad, grupo), "
            "elija una opción: se muestra «código – nombre» y la plataforma guarda el código.",
            "3. In the columns with a list (frequency, indicator, country, sex, age, group), "
            "choose an entry: it shows 'code – name' and the platform keeps the code.",
        ),
        _t(
            lang,
            "4. Período: año 2023, trimestre 2023-Q1 o mes 2023-01, según la frecuencia.",
            "4. Period: year 2023, quarter 2023-Q1 or month 2023-01, matching the frequency.",
        ),
        _t(
            lang,
            "5. Valor: solo el número, sin separador de miles ni símbolos. Si falta el dato, "
            "deje el valor vacío y elija el estado M (valor faltante).",
            "5. Value: the number only, with no thousands separator or symbols. If the figure "
            "is missing, leave the value empty and choose status M (missing value).",
        ),
        _t(
            lang,
            "6. Sexo, edad y grupo de población vacíos significan total (_T). "
            "Frecuencia vacía se deduce del período.",
            "6. Empty sex, age and population group mean total (_T). "
            "An empty frequency is taken from the period.",
        ),
        _t(
            lang,
            "7. No use fórmulas ni macros: la plataforma rechaza el archivo. "
            "Copie y pegue solo valores.",
            "7. Do not use formulas or macros: the platform refuses the file. "
            "Copy and paste values only.",
        ),
        _t(
            lang,
            "8. Guarde como .xlsx y súbalo en la plataforma. Recibirá un informe; corrija y "
            "vuelva a subir si hay errores. Puede pedir «solo revisar» antes de cargar.",
            "8. Save as .xlsx and upload it on the platform. You will get a report; fix and "
            "upload again if there are errors. You may ask to 'check only' before loading.",
        ),
        ("", None),
        (_t(lang, "Reglas que se revisan", "Rules that are checked"), BOLD),
        _t(
            lang,
            "• Cada código existe en su lista y el indicador lo admite (hoja «Definiciones»).",
            "• Every code exists in its list and the indicator allows it ('Definitions' sheet).",
        ),
        _t(
            lang,
            "• El período coincide con la frecuencia; los conteos son enteros no negativos.",
            "• The period matches the frequency; counts are non-negative whole numbers.",
        ),
        _t(
            lang,
            "• No hay dos filas con la misma combinación de indicador, país, sexo, edad, grupo "
            "y período.",
            "• No two rows share the same indicator, country, sex, age, group and period.",
        ),
        _t(
            lang,
            "• Los totales (_T) son iguales a la suma de sus partes: F + M + _U, grupos de edad, "
            "países + desconocido (_X) + apátrida (XXA).",
            "• Totals (_T) equal the sum of their parts: F + M + _U, age groups, "
            "countries + unknown (_X) + stateless (XXA).",
        ),
        _t(
            lang,
            "• Las sumas mensuales son iguales al trimestre y al año enviados; se comparan los "
            "valores con su historia (revisiones grandes, valores atípicos, meses faltantes).",
            "• Monthly sums equal the quarter and year sent; values are compared with their "
            "history (large revisions, outliers, missing months).",
        ),
        ("", None),
        (
            _t(
                lang,
                "Hojas anchas de boletines (otra forma admitida)",
                "Wide bulletin sheets (another accepted layout)",
            ),
            BOLD,
        ),
        _t(
            lang,
            "También se acepta una hoja con una fila por nacionalidad (primera columna: nombre "
            "o código del país; fila «Total» = _T) y una columna por período (2023-01, "
            "ene-2023, enero 2023, Jan 2023, 2023 o fechas de Excel). Encima de la tabla, una "
            "celda por dato fijo «CLAVE: valor», por ejemplo «REF_AREA: "
            f"{area.id}», «INDICATOR: {std.indicators_of(dataflow)[0].id}», «FREQ: M»; "
            "SEX, AGE y POP_GROUP son _T si no se indican. Las columnas que no son períodos "
            "(por ejemplo un total anual) se ignoran.",
            "A sheet with one row per nationality (first column: country name or code; a "
            "'Total' row = _T) and one column per period (2023-01, Jan 2023, January 2023, "
            "ene-2023, 2023 or Excel dates) is also accepted. Above the table, one cell per "
            f"fixed value 'KEY: value', e.g. 'REF_AREA: {area.id}', "
            f"'INDICATOR: {std.indicators_of(dataflow)[0].id}', 'FREQ: M'; SEX, AGE and "
            "POP_GROUP are _T unless given. Columns that are not periods (e.g. a yearly total) "
            "are ignored.",
        ),
    ]
    for row, line in enumerate(lines, start=1):
        text, font = line if isinstance(line, tuple) else (line, None)
        cell = ws.cell(row=row, column=1, value=text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if font is not None:
            cell.font = font
    ws.column_dimensions["A"].width = 110


def _write_definitions(ws: Worksheet, std: Standard, indicators: tuple, lang: str) -> None:
    headers = _t(
        lang,
        "Código|Indicador|Definición|Fuente|Unidad|Base de conteo|País de contraparte|"
        "Frecuencias|Sexo|Edad|Grupo de población",
        "Code|Indicator|Definition|Source|Unit|Counting basis|Counterpart country|"
        "Frequencies|Sex|Age|Population group",
    ).split("|")
    for col, text in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=col, value=text)
        cell.font, cell.fill = BOLD, HEADER_FILL
    units = std.codelist("CL_UNIT_MEASURE")
    bases = std.codelist("CL_COUNTING_BASIS")
    for row, ind in enumerate(indicators, start=2):
        unit = units.get(ind.unit)
        basis = bases.get(ind.counting_basis) if ind.counting_basis else None
        role = ROLES.get(ind.counterpart_role, (ind.counterpart_role,) * 2)
        values = [
            ind.id,
            ind.names.get(lang, ""),
            ind.glossary.get(lang, ""),
            ind.source,
            entry(unit, lang) if unit else ind.unit,
            entry(basis, lang) if basis else "",
            role[0] if lang == "es" else role[1],
            ", ".join(ind.freq),
            ", ".join(ind.sex),
            ", ".join(ind.age),
            ", ".join(ind.pop_group),
        ]
        for col, value in enumerate(values, start=1):
            ws.cell(row=row, column=col, value=value).alignment = WRAP
    for letter, width in zip(
        "ABCDEFGHIJK", (16, 30, 70, 40, 22, 30, 24, 12, 14, 40, 24), strict=True
    ):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "B2"


def _write_codes(
    ws: Worksheet, std: Standard, lists: dict[str, tuple[Codelist, list[Code]]], lang: str
) -> None:
    headers = _t(
        lang, "Columna|Lista de códigos|Código|Nombre", "Column|Code list|Code|Name"
    ).split("|")
    for col, text in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=col, value=text)
        cell.font, cell.fill = BOLD, HEADER_FILL
    row = 2
    for column, (codelist, codes) in lists.items():
        for code in codes:
            ws.cell(row=row, column=1, value=column)
            ws.cell(row=row, column=2, value=f"{codelist.id} – {codelist.names.get(lang, '')}")
            ws.cell(row=row, column=3, value=code.id)
            ws.cell(row=row, column=4, value=code.names.get(lang, ""))
            row += 1
    for letter, width in zip("ABCD", (20, 40, 12, 50), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:D{row - 1}"
