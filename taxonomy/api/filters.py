import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from taxonomy.models import Term, Vocabulary


@extend_schema_field(OpenApiTypes.STR)
class VocabularyFilter(django_filters.ModelChoiceFilter):
    """A vocabulary, by its slug. The vocabularies are a short, fixed list, so the schema lists
    their slugs as the parameter's values (ethicalmap/api/schema.py)."""

    choices_from_queryset = True

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", Vocabulary.objects.all())
        super().__init__(*args, to_field_name="slug", **kwargs)


class TermFilter(django_filters.FilterSet):
    vocabulary = VocabularyFilter()
    parent = django_filters.ModelChoiceFilter(queryset=Term.objects.all(), to_field_name="slug")

    class Meta:
        model = Term
        fields = []
