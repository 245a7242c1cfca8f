import json

from django.core.management.base import BaseCommand, CommandError

from ethicalmap.backup import BackupError, import_data


class Command(BaseCommand):
    help = "Restore a document written by export_data into an empty (migrated) database."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The JSON document written by export_data.")

    def handle(self, *args, path, **options):
        try:
            with open(path, encoding="utf-8") as stream:
                document = json.load(stream)
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from None
        try:
            count = import_data(document)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Restored {count} records from {path}.")
