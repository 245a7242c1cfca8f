from django.core.management.base import BaseCommand

from ethicalmap.starter import load_starter_data


class Command(BaseCommand):
    help = (
        "Load the starter vocabularies, principles, organisations and links. Creates what is "
        "missing and fills only what is empty and was never edited by a moderator, so it never "
        "overwrites a moderator's edit and running it again changes nothing."
    )

    def handle(self, *args, **options):
        report = load_starter_data()
        self.stdout.write(f"Starter data: {report}.")
