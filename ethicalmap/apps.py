from django.apps import AppConfig
from django.db.models.signals import post_migrate


class EthicalMapConfig(AppConfig):
    name = "ethicalmap"
    verbose_name = "Ethical Tech Map"

    def ready(self):
        from ethicalmap.dataversion import install_triggers

        # After every migrate (and every flush): a migration may have rebuilt a table, which drops
        # its triggers on SQLite, or added a public table that needs one.
        post_migrate.connect(install_triggers, sender=self)
