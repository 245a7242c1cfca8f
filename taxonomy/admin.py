from django.contrib import admin
from django.db.models import Count
from simple_history.admin import SimpleHistoryAdmin

from taxonomy.models import Term, Vocabulary


@admin.register(Vocabulary)
class VocabularyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order", "term_count"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(term_count=Count("terms"))

    @admin.display(description="terms", ordering="term_count")
    def term_count(self, obj):
        return obj.term_count


@admin.register(Term)
class TermAdmin(SimpleHistoryAdmin):
    list_display = ["name", "vocabulary", "parent", "slug", "order"]
    list_filter = ["vocabulary"]
    list_select_related = ["vocabulary", "parent"]
    search_fields = ["name", "slug", "definition", "synonyms"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["vocabulary__order", "order", "name"]
