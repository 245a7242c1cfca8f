from django.core.management.base import BaseCommand

from ethicalmap.starter import load_starter_data


class Command(BaseCommand):
    help = (
        "Load the starter vocabularies, principles and organisations. Creates only what is "
        "missing, so running it again changes nothing and never overwrites a moderator's edit."
    )

    def handle(self, *args, **options):
        report = load_starter_data()
        created = str(report)
        self.stdout.write(
            f"Starter data: created {created}." if created else "Starter data: up to date."
        )
