"""Load the synthetic demo data into the store as published submissions.

The rows of a demo country's dataflow go to the demo institution responsible for it, as the
submissions it sent over time (`sending`), so that the demo calendar finds received, late and
missing periods in the store; every other row (other countries, derived indicators) goes to the
demo provider, whose published data is what turns the site's demo banner on.
"""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pyarrow.compute as pc
from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from primi.deadlines.demo import DEMO_DUTIES
from primi.demo import DEMO_FILE_PREFIX, DEMO_FILE_SUFFIX, DEMO_PROVIDER, demo_data_present
from primi.demo.generator import SEED, generate
from primi.demo.sending import files_sent
from primi.store.loading import load_frame
from primi.store.models import Submission
from primi.workflow.demo_accounts import demo_senders


def load_demo(
    seed: int = SEED,
    last_year: int | None = None,
    progress: bool = False,
    now: dt.datetime | None = None,
) -> str:
    """Generate and publish every dataflow's demo data once; a second call changes nothing.

    `now` is when the loading happens (default: now): the institutions' submissions are dated
    before it, and the data goes on to the last month or quarter over by then, unless
    `last_year` ends it with an earlier year.
    """
    if demo_data_present():
        return "Los datos de demostración ya están cargados. / Demo data already loaded."
    now = now or timezone.now()
    # The latest months and quarters too, unless the data is asked to end with an earlier year.
    until = now.date() if last_year is None or last_year == now.year - 1 else None
    senders = demo_senders()
    total = 0
    bar = tqdm(desc="Demo", unit=" obs", disable=not progress)

    def load(rows: pa.Table, provider: str, dataflow: str, name: str) -> int:
        nonlocal total
        bar.set_postfix_str(f"{dataflow} {provider}")
        result = load_frame(
            rows, provider=provider, dataflow=dataflow, file_name=name, publish=True
        )
        bar.update(rows.num_rows)
        total += rows.num_rows
        return result.submission.pk

    with bar, transaction.atomic():
        for dataflow, table in generate(
            seed=seed, last_year=last_year or now.year - 1, until=until
        ):
            duty = DEMO_DUTIES.get(dataflow)  # no duty, no sender: the demo provider's rows
            sent_by = {c: code for (c, flow), code in senders.items() if flow == dataflow and duty}
            theirs = pc.is_in(table.column("REF_AREA"), pa.array(list(sent_by), pa.string()))
            rest = table.filter(pc.invert(theirs))
            if rest.num_rows:
                load(
                    rest, DEMO_PROVIDER, dataflow, f"{DEMO_FILE_PREFIX}{dataflow}{DEMO_FILE_SUFFIX}"
                )
            if not sent_by:
                continue
            their_rows = table.filter(theirs)
            for country, code in sorted(sent_by.items()):
                rows = their_rows.filter(pc.equal(their_rows.column("REF_AREA"), country))
                for sent in files_sent(rows, code, dataflow, duty[1], now, seed):
                    name = f"{DEMO_FILE_PREFIX}{dataflow}.{code}.{sent.at:%Y%m%d}{DEMO_FILE_SUFFIX}"
                    pk = load(sent.rows, code, dataflow, name)
                    Submission.objects.filter(pk=pk).update(created_at=sent.at)
    return (
        f"Datos sintéticos de demostración publicados: {total} observaciones. / "
        f"Synthetic demo data published: {total} observations."
    )
