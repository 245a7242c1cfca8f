from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate


class EthicalMapConfig(AppConfig):
    name = "ethicalmap"
    verbose_name = "Ethical Tech Map"

    def ready(self):
        from ethicalmap.dataversion import install_triggers, remove_sqlite_triggers
        from ethicalmap.kept import watch_writes
        from ethicalmap.limits import install_prune_trigger

        # After every migrate (and every flush): a migration may have rebuilt a table, which drops
        # its triggers on SQLite, or added a public table that needs one. On SQLite they are
        # dropped before, so that rebuilding a table does not trip over them.
        pre_migrate.connect(remove_sqlite_triggers, sender=self)
        post_migrate.connect(install_triggers, sender=self)
        post_migrate.connect(install_prune_trigger, sender=self)
        # Derived values are built again after every write (ethicalmap/kept.py).
        watch_writes()
