import django_filters

from taxonomy.models import Term, Vocabulary


class TermFilter(django_filters.FilterSet):
    vocabulary = django_filters.ModelChoiceFilter(
        queryset=Vocabulary.objects.all(), to_field_name="slug"
    )
    parent = django_filters.ModelChoiceFilter(queryset=Term.objects.all(), to_field_name="slug")

    class Meta:
        model = Term
        fields = []
