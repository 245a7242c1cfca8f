import sys

from django.core.management.base import BaseCommand

from ethicalmap.backup import dump, export_data


class Command(BaseCommand):
    help = (
        "Write the whole content of the map (organisations, links, terms, principles, "
        "assessments, submissions, history, tags) as one JSON document. People's data is "
        "left out unless --include-personal-data is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="File to write (default: standard output).")
        parser.add_argument(
            "--include-personal-data",
            action="store_true",
            help="Keep submitters' names and emails, private contact emails and account details.",
        )

    def handle(self, *args, output=None, include_personal_data=False, **options):
        document = export_data(include_personal_data=include_personal_data)
        if output:
            with open(output, "w", encoding="utf-8") as stream:
                dump(document, stream)
            self.stderr.write(f"Wrote {len(document['records'])} records to {output}.")
        else:
            dump(document, sys.stdout)
