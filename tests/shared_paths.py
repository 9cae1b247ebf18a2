"""Where the shared real data lies: ../shared beside the checkout (never copied into the repo)."""

import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("PRIMI_SHARED", REPO.parent / "shared"))
REAL = SHARED / "data" / "real"
SDMX_SAMPLES = SHARED / "sdmx-samples"
