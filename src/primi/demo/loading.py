"""Load the synthetic demo data into the store as published submissions of the demo provider."""

from __future__ import annotations

from tqdm import tqdm

from primi.demo import DEMO_PROVIDER, demo_data_present
from primi.demo.generator import SEED, generate
from primi.store.loading import load_frame


def load_demo(seed: int = SEED, last_year: int | None = None, progress: bool = False) -> str:
    """Generate and publish every dataflow's demo data once; a second call changes nothing."""
    if demo_data_present():
        return "Los datos de demostración ya están cargados. / Demo data already loaded."
    total = 0
    bar = tqdm(desc="Demo", unit=" obs", disable=not progress)
    with bar:
        for dataflow, table in generate(seed=seed, last_year=last_year):
            bar.set_postfix_str(dataflow)
            done = 0

            def advance(rows: int) -> None:
                nonlocal done
                bar.update(rows - done)
                done = rows

            load_frame(
                table,
                provider=DEMO_PROVIDER,
                dataflow=dataflow,
                file_name=f"demo/{dataflow}.synthetic",
                publish=True,
                progress=advance,
            )
            total += table.num_rows
    return (
        f"Datos sintéticos de demostración publicados: {total} observaciones. / "
        f"Synthetic demo data published: {total} observations."
    )
