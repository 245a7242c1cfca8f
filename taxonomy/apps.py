from django.apps import AppConfig


class TaxonomyConfig(AppConfig):
    name = "taxonomy"
    verbose_name = "Taxonomy"

    def ready(self):
        import taxonomy.kept  # noqa: F401 - declares the values built again after every write
