from django.apps import AppConfig
from django.db.models.signals import post_migrate


class OrgsConfig(AppConfig):
    name = "orgs"
    verbose_name = "Organisations and moderation"

    def ready(self):
        import orgs.kept  # noqa: F401 - declares the values built again after every write
        from orgs.moderators import sync_moderators_group
        from orgs.search import install_sqlite_name_index

        # The group's permissions exist only after migrate has created them, so the group is kept
        # in step after every migrate rather than in a data migration.
        post_migrate.connect(sync_moderators_group, sender=self)
        # SQLite drops a table's triggers when a migration rebuilds it: those that keep the name
        # index for search are put back (and the index refilled) after every migrate.
        post_migrate.connect(install_sqlite_name_index, sender=self)
