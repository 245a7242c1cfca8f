import time

from django.core.management.base import BaseCommand

from ethicalmap.kept import build_all, declared


class Command(BaseCommand):
    help = (
        "Build the values derived from the whole published data (the unfiltered maps, counts and "
        "insights) for the current data, as every write does after it commits: after a load by "
        "raw SQL, or to have them ready before the first visitor after a deploy."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        built = build_all()
        seconds = time.perf_counter() - started
        names = ", ".join(built) or "none (all were up to date)"
        self.stdout.write(f"Built {len(built)} of {len(declared())} in {seconds:.1f} s: {names}.")
