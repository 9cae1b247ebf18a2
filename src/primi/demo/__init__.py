"""Synthetic demonstration data: a deterministic generator of plausible series for every indicator.

Every demo observation says in COMMENT_OBS that it is synthetic, and the site shows a banner
whenever published demo data is in the store.
"""

DEMO_PROVIDER = "PRIMI_DEMO"


def demo_data_present() -> bool:
    """Whether published synthetic data is in the store (the site then shows a banner)."""
    from primi.store.models import Submission

    return Submission.objects.filter(provider=DEMO_PROVIDER, published_at__isnull=False).exists()
