from django.apps import AppConfig
from django.db.models.signals import post_migrate


class OrgsConfig(AppConfig):
    name = "orgs"
    verbose_name = "Organisations and moderation"

    def ready(self):
        from orgs.moderators import sync_moderators_group

        # The group's permissions exist only after migrate has created them, so the group is kept
        # in step after every migrate rather than in a data migration.
        post_migrate.connect(sync_moderators_group, sender=self)
